/**
 * Istio AuthorizationPolicy -> AccessRule (Istio API reference,
 * security.istio.io AuthorizationPolicy):
 * - the policy protects the workloads its `selector` matches in its
 *   namespace, every workload of the namespace without a selector, and in the
 *   root namespace (istio-system) the matching workloads of the whole mesh;
 *   `targetRef(s)` attach it to a Gateway, a Service or a ServiceEntry instead;
 * - `action` defaults to ALLOW;
 * - each entry of `rules` is one AccessRule: its `from` sources are ORed, its
 *   `to` operations are ORed, its `when` conditions are ANDed, and the three
 *   are ANDed;
 * - a policy without rules matches nothing: an ALLOW policy with `spec: {}`
 *   denies every request to its workloads, a DENY policy without rules denies
 *   nothing, while `rules: [{}]` matches every request.
 * IP blocks and request principals have no counterpart in the access table;
 * they are left out of the rule and only shown in its summary.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type {
  AuthorizationOperation,
  AuthorizationPolicy,
  AuthorizationRule,
  AuthorizationSource,
  PolicyTargetReference,
  ServiceEntry,
} from "../../manifests/schemas/istio.js";
import { serviceFqdn } from "../../mesh/hosts.js";
import type { Labels, MeshModel, Typed } from "../../mesh/types.js";
import { originOf } from "../engine.js";
import type { AccessCondition, AccessOperation, AccessRule, AccessSource } from "../types.js";
import { ISTIO_ROOT_NAMESPACE } from "./destination-rules.js";
import { istioRouteCodes, routeFinding } from "./istio-route-codes.js";
import { canonicalJson } from "../canonical-json.js";
import { shortHash, uniqueIds } from "./rule-id.js";

export const AUTHORIZATION_POLICY: `${string}/${string}` = "security.istio.io/AuthorizationPolicy";

/** The label Istio puts on the pods it deploys for a Gateway API Gateway. */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

type Target = AccessRule["target"];

export function authorizationPolicyRules(model: MeshModel, findings: Finding[]): AccessRule[] {
  const out: AccessRule[] = [];
  for (const policy of model.list<AuthorizationPolicy>(AUTHORIZATION_POLICY)) {
    const rules = policyRules(model, policy, findings);
    const ids = uniqueIds(rules.map((r) => r.id));
    rules.forEach((r, i) => out.push({ ...r, id: ids[i]! }));
  }
  return out;
}

function policyRules(model: MeshModel, policy: Typed<AuthorizationPolicy>, findings: Finding[]): AccessRule[] {
  const spec = policy.obj.spec ?? {};
  const namespace = policy.namespace ?? model.defaultNamespace;
  const action = spec.action ?? "ALLOW";
  const targets = targetsOf(model, policy, namespace, findings);
  const rules = spec.rules ?? [];
  const out: AccessRule[] = [];
  for (const target of targets) {
    if (rules.length === 0) {
      out.push(accessRule(policy, namespace, action, target, null, spec.provider?.name ?? null, ["spec"]));
      continue;
    }
    rules.forEach((rule, i) =>
      out.push(accessRule(policy, namespace, action, target, rule, spec.provider?.name ?? null, ["spec", "rules", i])),
    );
  }
  return out;
}

function targetsOf(model: MeshModel, policy: Typed<AuthorizationPolicy>, namespace: string, findings: Finding[]): Target[] {
  const spec = policy.obj.spec ?? {};
  const scope = namespace === ISTIO_ROOT_NAMESPACE ? null : namespace;
  const refs: { ref: PolicyTargetReference; path: (string | number)[] }[] = [
    ...(spec.targetRef ? [{ ref: spec.targetRef, path: ["spec", "targetRef"] }] : []),
    ...(spec.targetRefs ?? []).map((ref, i) => ({ ref, path: ["spec", "targetRefs", i] })),
  ];
  if (refs.length === 0) {
    return [{ namespace: scope, selector: spec.selector?.matchLabels ? { ...spec.selector.matchLabels } : null, serviceAccount: null }];
  }
  const out: Target[] = [];
  for (const { ref, path } of refs) {
    const selector = targetSelector(model, ref, namespace);
    if (selector) {
      out.push({ namespace, selector, serviceAccount: null });
      continue;
    }
    findings.push(
      findingAt(
        policy.res,
        path,
        routeFinding(
          istioRouteCodes.policyTargetNotFound,
          `targetRef ${ref.kind} ${ref.namespace ?? namespace}/${ref.name} does not resolve to workloads in the tree`,
          "Point targetRef at a Gateway, Service or ServiceEntry in the policy's namespace.",
        ),
      ),
    );
  }
  return out;
}

/**
 * The pods a targetRef stands for: a Gateway API Gateway's deployed proxies
 * (labelled with the gateway name), the pods behind a Service (its waypoint
 * enforces the policy for them), or a ServiceEntry's selected workloads.
 */
function targetSelector(model: MeshModel, ref: PolicyTargetReference, namespace: string): Labels | null {
  const group = ref.group ?? "";
  const ns = ref.namespace ?? namespace;
  if (ref.kind === "Gateway" && group === "gateway.networking.k8s.io") return { [GATEWAY_NAME_LABEL]: ref.name };
  if (ref.kind === "Service" && group === "") {
    return model.services.get(serviceFqdn(ref.name, ns, model.clusterDomain))?.selector ?? null;
  }
  if (ref.kind === "ServiceEntry" && group === "networking.istio.io") {
    const entry = model.get<ServiceEntry>("networking.istio.io/ServiceEntry", ns, ref.name);
    return entry?.obj.spec?.workloadSelector?.labels ?? null;
  }
  return null;
}

function accessRule(
  policy: Typed<AuthorizationPolicy>,
  namespace: string,
  action: AccessRule["action"],
  target: Target,
  rule: AuthorizationRule | null,
  provider: string | null,
  path: (string | number)[],
): AccessRule {
  const rawSources = (rule?.from ?? []).map((f) => f.source ?? {});
  const from = rawSources.map(sourceOf);
  const to = (rule?.to ?? []).map((t) => operationOf(t.operation ?? {}));
  const when: AccessCondition[] = (rule?.when ?? []).map((w) => ({
    key: w.key,
    ...(w.values?.length ? { values: [...w.values] } : {}),
    ...(w.notValues?.length ? { notValues: [...w.notValues] } : {}),
  }));
  const matchesNothing = rule === null;
  const content = canonicalJson({ action, target, from: rawSources, to, when, matchesNothing });
  return {
    id: `istio:${namespace}/${policy.res.name}:${shortHash(content)}`,
    engine: "istio",
    action,
    target,
    from,
    to,
    when,
    matchesNothing,
    summary: summaryOf(action, provider, target, rawSources, to, when, matchesNothing),
    origin: originOf(policy.res, path),
  };
}

function sourceOf(s: AuthorizationSource): AccessSource {
  const out: AccessSource = {};
  if (s.principals?.length) out.principals = [...s.principals];
  if (s.notPrincipals?.length) out.notPrincipals = [...s.notPrincipals];
  if (s.namespaces?.length) out.namespaces = [...s.namespaces];
  if (s.notNamespaces?.length) out.notNamespaces = [...s.notNamespaces];
  // `serviceAccounts` ("ns/name") names the peer identity like a principal in any trust domain.
  const accounts = (s.serviceAccounts ?? []).map((a) => a.split("/")).filter((p) => p.length === 2);
  const notAccounts = (s.notServiceAccounts ?? []).map((a) => a.split("/")).filter((p) => p.length === 2);
  if (accounts.length && !out.principals) out.principals = accounts.map(([ns, sa]) => `*/ns/${ns}/sa/${sa}`);
  if (notAccounts.length) out.notPrincipals = [...(out.notPrincipals ?? []), ...notAccounts.map(([ns, sa]) => `*/ns/${ns}/sa/${sa}`)];
  const unevaluated: string[] = [];
  if (accounts.length && s.principals?.length) unevaluated.push("serviceAccounts");
  for (const key of ["requestPrincipals", "notRequestPrincipals", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"] as const) {
    if (s[key]?.length) unevaluated.push(key);
  }
  if (unevaluated.length) out.unevaluated = unevaluated;
  return out;
}

/** AuthorizationPolicy ports are strings; one that is not a port number can never match. */
function portsOf(ports: string[] | undefined): number[] | undefined {
  if (!ports?.length) return undefined;
  return ports.map((p) => (/^\d+$/.test(p.trim()) ? Number(p.trim()) : -1));
}

function operationOf(o: AuthorizationOperation): AccessOperation {
  const out: AccessOperation = {};
  if (o.methods?.length) out.methods = [...o.methods];
  if (o.notMethods?.length) out.notMethods = [...o.notMethods];
  if (o.paths?.length) out.paths = [...o.paths];
  if (o.notPaths?.length) out.notPaths = [...o.notPaths];
  const ports = portsOf(o.ports);
  if (ports) out.ports = ports;
  const notPorts = portsOf(o.notPorts);
  if (notPorts) out.notPorts = notPorts;
  if (o.hosts?.length) out.hosts = [...o.hosts];
  if (o.notHosts?.length) out.notHosts = [...o.notHosts];
  return out;
}

const list = (xs: readonly (string | number)[]) => xs.join(",");

function describeSource(s: AuthorizationSource): string {
  const parts: string[] = [];
  const add = (label: string, xs: readonly string[] | undefined) => {
    if (xs?.length) parts.push(`${label} ${list(xs)}`);
  };
  add("principal", s.principals);
  add("not principal", s.notPrincipals);
  add("request principal", s.requestPrincipals);
  add("not request principal", s.notRequestPrincipals);
  add("namespace", s.namespaces);
  add("not namespace", s.notNamespaces);
  add("ipBlock", s.ipBlocks);
  add("not ipBlock", s.notIpBlocks);
  add("remote ipBlock", s.remoteIpBlocks);
  add("not remote ipBlock", s.notRemoteIpBlocks);
  add("service account", s.serviceAccounts);
  add("not service account", s.notServiceAccounts);
  return parts.length ? parts.join(" and ") : "any source";
}

function describeOperation(o: AccessOperation): string {
  const parts: string[] = [];
  if (o.methods?.length) parts.push(list(o.methods));
  if (o.notMethods?.length) parts.push(`not ${list(o.notMethods)}`);
  if (o.paths?.length) parts.push(list(o.paths));
  if (o.notPaths?.length) parts.push(`not ${list(o.notPaths)}`);
  if (o.ports?.length) parts.push(`port ${list(o.ports)}`);
  if (o.notPorts?.length) parts.push(`not port ${list(o.notPorts)}`);
  if (o.hosts?.length) parts.push(`host ${list(o.hosts)}`);
  if (o.notHosts?.length) parts.push(`not host ${list(o.notHosts)}`);
  return parts.length ? parts.join(" ") : "any request";
}

function describeTarget(t: Target): string {
  const labels = t.selector && Object.keys(t.selector).length
    ? Object.entries(t.selector).map(([k, v]) => `${k}=${v}`).join(",")
    : "*";
  return t.namespace === null ? `mesh-wide ${labels}` : `${t.namespace}/${labels}`;
}

function summaryOf(
  action: AccessRule["action"],
  provider: string | null,
  target: Target,
  sources: readonly AuthorizationSource[],
  to: readonly AccessOperation[],
  when: readonly AccessCondition[],
  matchesNothing: boolean,
): string {
  const verb = action === "CUSTOM" ? `custom${provider ? `(${provider})` : ""}` : action.toLowerCase();
  const where = describeTarget(target);
  if (matchesNothing) {
    return action === "ALLOW"
      ? `allow nothing -> ${where} (ALLOW policy without rules: every request is denied)`
      : `${verb} nothing -> ${where} (${action} policy without rules matches no request)`;
  }
  const from = sources.length ? sources.map(describeSource).join(" or ") : "any source";
  const ops = to.length ? to.map(describeOperation).join(" or ") : "any request";
  const conds = when.map((c) =>
    [c.values?.length ? `${c.key} in ${list(c.values)}` : "", c.notValues?.length ? `${c.key} not in ${list(c.notValues)}` : ""]
      .filter(Boolean)
      .join(" and ") || `${c.key} present`,
  );
  return `${verb} ${from} -> ${where} ${ops}${conds.length ? ` when ${conds.join(" and ")}` : ""}`;
}

