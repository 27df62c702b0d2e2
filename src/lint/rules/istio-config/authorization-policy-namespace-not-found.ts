import type { AuthorizationPolicy } from "../../../manifests/schemas/istio.js";
import type { LintRule } from "../../rule.js";
import { meshConfigOf } from "./mesh-config.js";

const AUTHORIZATION_POLICY = "security.istio.io/AuthorizationPolicy" as const;

/** Namespaces every cluster has (Kubernetes creates them), besides those the tree declares or uses. */
const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * istioctl authz.AuthorizationPoliciesAnalyzer, IST0101 ReferencedResourceNotFound
 * for `source.namespaces` / `source.notNamespaces`
 * (pkg/config/analysis/analyzers/authz/authorizationpolicies.go).
 */
export const authorizationPolicyNamespaceNotFound: LintRule = {
  code: "MP1078",
  title: "AuthorizationPolicy source namespace matches no namespace",
  severity: "error",
  docs:
    "An AuthorizationPolicy rule's `from.source.namespaces` (or `notNamespaces`) value matches no namespace: an exact " +
    "name that does not exist, or a `prefix*` / `*suffix` pattern that matches none. The condition then never holds " +
    "(or, for `notNamespaces`, always holds), which usually means an ALLOW rule that lets nobody in or a DENY rule " +
    "that blocks more than intended. Namespaces count as existing when the tree declares them (Namespace objects), " +
    "puts resources in them, or Kubernetes and Istio create them.",
  equivalents: ["IST0101", "KIA0101"],
  kinds: [AUTHORIZATION_POLICY],
  check(ctx) {
    const mesh = meshConfigOf(ctx.model);
    const existing = new Set([...ctx.model.namespaces.keys(), ...BUILT_IN_NAMESPACES, mesh.rootNamespace]);
    ctx.forEach<AuthorizationPolicy>(AUTHORIZATION_POLICY, (policy) => {
      (policy.obj.spec?.rules ?? []).forEach((rule, i) => {
        (rule.from ?? []).forEach((from, j) => {
          for (const field of ["namespaces", "notNamespaces"] as const) {
            (from.source?.[field] ?? []).forEach((value, k) => {
              if ([...existing].some((ns) => namespaceMatches(value, ns))) return;
              ctx.report(
                policy.res,
                ["spec", "rules", i, "from", j, "source", field, k],
                `AuthorizationPolicy ${policy.namespace}/${policy.res.name} source ${field} \`${value}\` matches no namespace; ` +
                  (field === "namespaces" ? "this source never matches a caller" : "this condition holds for every caller"),
                { hint: "Check the namespace name, or add the Namespace to the repository." },
              );
            });
          }
        });
      });
    });
  },
};

/**
 * Istio string match for source namespaces: `*` is anything, `*suffix` and
 * `prefix*` compare case-sensitively, an exact value compares ignoring case
 * (istioctl `namespaceMatch`).
 */
export function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) return namespace.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return namespace.startsWith(pattern.slice(0, -1));
  return pattern.toLowerCase() === namespace.toLowerCase();
}
