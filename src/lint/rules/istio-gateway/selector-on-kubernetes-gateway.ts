import type { Gateway as KubernetesGateway, GatewayClass } from "../../../manifests/schemas/gateway-api.js";
import type { GroupKind } from "../../../manifests/types.js";
import type { Labels, Typed } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { labelMapOf, selectorMatches } from "./label-selectors.js";

/** The label Istio's Gateway API deployment controller puts on the pods of the proxy it deploys for a Gateway. */
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/** Gateway classes whose Gateways Istio deploys itself (built-in `istio`, `istio-waypoint`). */
const ISTIO_CLASSES = new Set(["istio", "istio-waypoint"]);
const ISTIO_CONTROLLERS = new Set(["istio.io/gateway-controller", "istio.io/mesh-controller"]);

const POLICY_KINDS: readonly GroupKind[] = [
  "security.istio.io/AuthorizationPolicy",
  "security.istio.io/RequestAuthentication",
  "telemetry.istio.io/Telemetry",
  "extensions.istio.io/WasmPlugin",
];

interface GatewayPod {
  gateway: string;
  labels: Labels;
}

/**
 * istioctl `k8sgateway.SelectorAnalyzer`
 * (pkg/config/analysis/analyzers/k8sgateway/workloadselector.go), IneffectiveSelector (IST0166):
 * an AuthorizationPolicy, RequestAuthentication, Telemetry or WasmPlugin
 * that uses `selector` rather than `targetRef(s)` and whose `matchLabels`
 * match a pod of a Kubernetes Gateway (a pod labelled
 * `gateway.networking.k8s.io/gateway-name`) in its own namespace; reported
 * once per such pod.
 *
 * The Deployment of a Gateway API Gateway is created by Istio, not kept in
 * git, so a Gateway of an Istio class (without `spec.addresses`, i.e. not
 * deployed by hand) also stands for its pods, labelled with its name and its
 * `spec.infrastructure.labels`, unless the tree already has that pod.
 */
export const selectorOnKubernetesGateway: LintRule = {
  code: "MP1043",
  title: "Workload selector on a Kubernetes Gateway",
  severity: "warning",
  docs:
    "A policy (AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin) selects the pods of a Gateway " +
    "API Gateway with `selector`. Istio does not apply selector-based policies to Kubernetes Gateways, so the policy " +
    "has no effect there; attach it with `targetRefs` naming the Gateway instead.",
  equivalents: ["IST0166"],
  kinds: POLICY_KINDS,
  check(ctx) {
    const pods = gatewayPodsByNamespace(ctx);
    if (pods.size === 0) return;
    for (const gk of POLICY_KINDS) {
      ctx.forEach<unknown>(gk, (policy) => {
        const spec = record(record(policy.obj)?.["spec"]);
        if (!spec) return;
        const targetRefs = spec["targetRefs"];
        if (spec["targetRef"] != null || (Array.isArray(targetRefs) && targetRefs.length > 0)) return;
        const selector = spec["selector"];
        if (selector == null) return;
        const matchLabels = labelMapOf(record(selector)?.["matchLabels"] ?? {});
        if (!matchLabels) return;
        const namespace = policy.namespace ?? ctx.model.defaultNamespace;
        for (const pod of pods.get(namespace) ?? []) {
          if (!selectorMatches(matchLabels, pod.labels)) continue;
          ctx.report(
            policy.res,
            ["spec", "selector"],
            `${policy.res.kind} ${namespace}/${policy.res.name} selects the pods of Kubernetes Gateway ${namespace}/${pod.gateway} with a workload selector, which Istio ignores for Kubernetes Gateways`,
            { hint: `Replace spec.selector with spec.targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: ${pod.gateway}}].` },
          );
        }
      });
    }
  },
};

function gatewayPodsByNamespace(ctx: Parameters<LintRule["check"]>[0]): Map<string, GatewayPod[]> {
  const out = new Map<string, GatewayPod[]>();
  const add = (namespace: string, pod: GatewayPod) => {
    let list = out.get(namespace);
    if (!list) out.set(namespace, (list = []));
    list.push(pod);
  };
  for (const w of ctx.model.workloads) {
    const gateway = w.labels[GATEWAY_NAME_LABEL];
    if (gateway !== undefined) add(w.namespace, { gateway, labels: w.labels });
  }

  const istioClasses = new Set(ISTIO_CLASSES);
  ctx.forEach<GatewayClass>("gateway.networking.k8s.io/GatewayClass", (c) => {
    if (ISTIO_CONTROLLERS.has(c.obj.spec.controllerName)) istioClasses.add(c.res.name);
  });
  ctx.forEach<KubernetesGateway>("gateway.networking.k8s.io/Gateway", (g: Typed<KubernetesGateway>) => {
    const spec = g.obj.spec as KubernetesGateway["spec"] & { addresses?: unknown; infrastructure?: { labels?: unknown } };
    if (!istioClasses.has(spec.gatewayClassName)) return;
    if (Array.isArray(spec.addresses) && spec.addresses.length > 0) return;
    const namespace = g.namespace ?? ctx.model.defaultNamespace;
    if ((out.get(namespace) ?? []).some((p) => p.gateway === g.res.name)) return;
    const infrastructure = labelMapOf(spec.infrastructure?.labels ?? {}) ?? {};
    add(namespace, { gateway: g.res.name, labels: { ...infrastructure, [GATEWAY_NAME_LABEL]: g.res.name } });
  });
  return out;
}

function record(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
