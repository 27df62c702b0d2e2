import type { Sidecar, VirtualService } from "../../../manifests/schemas/istio.js";
import type { GroupKind } from "../../../manifests/types.js";
import type { LintRule } from "../../rule.js";

const CRD: GroupKind = "apiextensions.k8s.io/CustomResourceDefinition";

/** Istio CRDs removed from the base chart (istioctl `deprecatedCRDs`): the RBAC API replaced by AuthorizationPolicy. */
const REMOVED_CRDS: ReadonlySet<string> = new Set([
  "rbac.istio.io/ClusterRbacConfig",
  "rbac.istio.io/RbacConfig",
  "rbac.istio.io/ServiceRole",
  "rbac.istio.io/ServiceRoleBinding",
]);

/**
 * istioctl `deprecation.FieldAnalyzer`
 * (pkg/config/analysis/analyzers/deprecation/deprecation.go), Deprecated (IST0002):
 *
 * - a VirtualService http route with `fault.delay.percent` above 0 (replaced
 *   by `fault.delay.percentage`), once per route;
 * - a Sidecar with `outboundTrafficPolicy.egressProxy` (ignored by Istio);
 * - a CustomResourceDefinition of a removed Istio kind (rbac.istio.io).
 *
 * These are exactly the fields istioctl checks; its list of deprecated kinds
 * (`collections.Deprecated`) is empty in current Istio.
 */
export const deprecatedIstioField: LintRule = {
  code: "MP1048",
  title: "Deprecated Istio field or kind",
  severity: "warning",
  docs:
    "The configuration uses an Istio field or kind that is deprecated or removed: `fault.delay.percent` in a " +
    "VirtualService (still honoured, replaced by `fault.delay.percentage`), `outboundTrafficPolicy.egressProxy` in a " +
    "Sidecar (ignored by Istio, so the egress proxy it names is not used), or a CustomResourceDefinition of the " +
    "removed rbac.istio.io API (replaced by AuthorizationPolicy).",
  equivalents: ["IST0002"],
  kinds: ["networking.istio.io/VirtualService", "networking.istio.io/Sidecar", CRD],
  check(ctx) {
    ctx.forEach<VirtualService>("networking.istio.io/VirtualService", (vs) => {
      (vs.obj.spec?.http ?? []).forEach((route, i) => {
        const percent = route.fault?.delay?.percent;
        if (percent === undefined || percent <= 0) return;
        ctx.report(
          vs.res,
          ["spec", "http", i, "fault", "delay", "percent"],
          `HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage (percent: ${percent} is percentage: {value: ${percent}})`,
          { hint: `Replace \`percent: ${percent}\` with \`percentage: { value: ${percent} }\`.` },
        );
      });
    });

    ctx.forEach<Sidecar>("networking.istio.io/Sidecar", (sc) => {
      const policy = sc.obj.spec?.outboundTrafficPolicy as Record<string, unknown> | undefined;
      if (policy?.["egressProxy"] == null) return;
      ctx.report(
        sc.res,
        ["spec", "outboundTrafficPolicy", "egressProxy"],
        "Sidecar outboundTrafficPolicy.egressProxy is deprecated and ignored: unknown outbound traffic is not sent to the proxy it names",
        { hint: "Remove egressProxy; route external traffic through an egress gateway with a ServiceEntry and VirtualService." },
      );
    });

    ctx.forEach<unknown>(CRD, (crd) => {
      const spec = crd.res.object["spec"] as { group?: unknown; names?: { kind?: unknown } } | undefined;
      const group = spec?.group;
      const kind = spec?.names?.kind;
      if (typeof group !== "string" || typeof kind !== "string" || !REMOVED_CRDS.has(`${group}/${kind}`)) return;
      ctx.report(
        crd.res,
        ["spec", "names", "kind"],
        `Custom resource type ${group} ${kind} is removed from Istio; its objects have no effect`,
        { hint: "Remove the CRD and express the policy as a security.istio.io AuthorizationPolicy." },
      );
    });
  },
};
