import type { AuthorizationPolicy } from "../../../manifests/schemas/istio.js";
import type { Labels, Workload } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { meshConfigOf } from "./mesh-config.js";
import { inMesh } from "./mesh-membership.js";
import { selects } from "./workload-labels.js";

const AUTHORIZATION_POLICY = "security.istio.io/AuthorizationPolicy" as const;

/**
 * istioctl authz.AuthorizationPoliciesAnalyzer, IST0127 NoMatchingWorkloadsFound
 * (pkg/config/analysis/analyzers/authz/authorizationpolicies.go): a policy in
 * the root namespace with a selector must select a mesh workload somewhere;
 * a policy elsewhere must select one (any, without a selector) in its own
 * namespace. Workloads are the Pods and pod templates in the tree whose pods
 * run a sidecar or are enrolled in ambient mode. Policies attached with
 * `targetRef(s)` select no pods by labels; MP0206 checks their targets.
 */
export const authorizationPolicySelectsNoWorkload: LintRule = {
  code: "MP1079",
  title: "AuthorizationPolicy selects no workload",
  severity: "warning",
  docs:
    "An AuthorizationPolicy applies to the mesh workloads its `selector` matches (all of its namespace without one; " +
    "the whole mesh, in the root namespace). When no workload in the mesh matches, the policy is enforced nowhere: " +
    "the access it is meant to allow or deny is decided by other policies or left open. Usually a selector label " +
    "does not match the pod labels, the policy is in the wrong namespace, or the workload's pods have no sidecar.",
  equivalents: ["IST0127", "KIA0004"],
  kinds: [AUTHORIZATION_POLICY],
  check(ctx) {
    const { rootNamespace } = meshConfigOf(ctx.model);
    const meshWorkloads = ctx.model.workloads.filter((w) => inMesh(ctx.model, w));
    const byNamespace = new Map<string, Workload[]>();
    for (const w of meshWorkloads) {
      const list = byNamespace.get(w.namespace) ?? [];
      list.push(w);
      byNamespace.set(w.namespace, list);
    }
    ctx.forEach<AuthorizationPolicy>(AUTHORIZATION_POLICY, (policy) => {
      const spec = policy.obj.spec ?? {};
      if (spec.targetRef || spec.targetRefs?.length) return;
      const ns = policy.namespace ?? ctx.model.defaultNamespace;
      const name = `${ns}/${policy.res.name}`;
      if (ns === rootNamespace) {
        if (!spec.selector) return;
        const selector: Labels = spec.selector.matchLabels ?? {};
        if (meshWorkloads.some((w) => selects(selector, w.labels))) return;
        ctx.report(policy.res, ["spec", "selector"], `mesh-wide AuthorizationPolicy ${name} selects no mesh workload (${describe(selector)}); it is enforced nowhere`, {
          hint: "Make the selector match the labels of the pods it should protect.",
        });
        return;
      }
      const candidates = byNamespace.get(ns) ?? [];
      if (!spec.selector) {
        if (candidates.length > 0) return;
        ctx.report(policy.res, ["metadata", "namespace"], `AuthorizationPolicy ${name} applies to namespace ${ns}, which has no mesh workload; it is enforced nowhere`, {
          hint: `Check that the workloads of ${ns} are in the repository and run a sidecar or ambient mode.`,
        });
        return;
      }
      const selector: Labels = spec.selector.matchLabels ?? {};
      if (candidates.some((w) => selects(selector, w.labels))) return;
      ctx.report(policy.res, ["spec", "selector"], `AuthorizationPolicy ${name} selects no mesh workload in namespace ${ns} (${describe(selector)}); it is enforced nowhere`, {
        hint: "Make the selector match the labels of the pods it should protect, or move the policy to their namespace.",
      });
    });
  },
};

function describe(selector: Labels): string {
  const pairs = Object.entries(selector)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(",") : "any labels";
}
