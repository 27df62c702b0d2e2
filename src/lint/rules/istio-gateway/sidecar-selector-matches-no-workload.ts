import type { LintRule } from "../../rule.js";
import { selectorString } from "./label-selectors.js";
import { ISTIO_SIDECAR, sidecarName, sidecarScopes } from "./sidecar-scopes.js";

/**
 * istioctl `sidecar.SelectorAnalyzer` (pkg/config/analysis/analyzers/sidecar/selector.go),
 * ReferencedResourceNotFound (IST0101): a Sidecar whose
 * `workloadSelector.labels` match no pod of its own namespace (a Sidecar
 * never applies across namespaces).
 *
 * Judged only when the tree declares some workload in that namespace: a
 * namespace whose workloads are deployed from elsewhere cannot be checked.
 */
export const sidecarSelectorMatchesNoWorkload: LintRule = {
  code: "MP1044",
  title: "Sidecar selector matches no workload",
  severity: "error",
  docs:
    "A Sidecar resource's `workloadSelector` matches no Pod or pod template in its namespace (Sidecars apply only " +
    "within their own namespace). No proxy gets this configuration, so the egress and ingress settings it declares " +
    "have no effect. Checked for namespaces whose workloads the tree declares.",
  equivalents: ["IST0101"],
  kinds: [ISTIO_SIDECAR],
  check(ctx) {
    const { selecting } = sidecarScopes(ctx.model);
    for (const s of selecting) {
      if (s.workloads.length > 0) continue;
      if (!ctx.model.workloads.some((w) => w.namespace === s.namespace)) continue;
      const elsewhere = ctx.model.workloadsMatching(null, s.selector).filter((w) => w.namespace !== s.namespace);
      ctx.report(
        s.sidecar.res,
        ["spec", "workloadSelector", "labels"],
        `Sidecar ${sidecarName(s.sidecar, ctx.model)} selects no workload: no Pod or pod template in namespace ${s.namespace} has the labels ${selectorString(s.selector)}` +
          (elsewhere.length ? ` (${elsewhere.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(", ")} match, but a Sidecar applies only in its own namespace)` : ""),
        { hint: "Fix the workloadSelector labels, or move the Sidecar to the namespace of the workloads it is meant for." },
      );
    }
  },
};
