import type { LintRule } from "../../rule.js";
import { namespaceInAmbientMode } from "./mesh-membership.js";
import { ISTIO_SIDECAR, sidecarName, sidecarScopes } from "./sidecar-scopes.js";

/**
 * istioctl `sidecar.SelectorAnalyzer` (pkg/config/analysis/analyzers/sidecar/selector.go),
 * MultipleSidecarsWithoutWorkloadSelectors (IST0111): more than one Sidecar
 * without a workload selector (or with empty labels) in one namespace; each
 * is reported. A namespace in ambient mode is left to MP1047.
 */
export const multipleNamespaceWideSidecars: LintRule = {
  code: "MP1046",
  title: "Several Sidecars without a workload selector in one namespace",
  severity: "error",
  docs:
    "A namespace holds more than one Sidecar resource without a `workloadSelector`. Each would be the namespace's " +
    "default; Istio uses only one of them, and which one is undefined.",
  equivalents: ["IST0111"],
  kinds: [ISTIO_SIDECAR],
  check(ctx) {
    const { namespaceWide } = sidecarScopes(ctx.model);
    for (const [namespace, sidecars] of namespaceWide) {
      if (sidecars.length < 2 || namespaceInAmbientMode(ctx.model.namespaces.get(namespace))) continue;
      const names = sidecars.map((s) => sidecarName(s, ctx.model));
      for (const s of sidecars) {
        ctx.report(
          s.res,
          ["metadata", "name"],
          `Sidecars ${names.join(", ")} in namespace ${namespace} have no workload selector; Istio uses only one of them as the namespace default, and which one is undefined`,
          { hint: "Keep one namespace-wide Sidecar, or give the others a workloadSelector." },
        );
      }
    }
  },
};
