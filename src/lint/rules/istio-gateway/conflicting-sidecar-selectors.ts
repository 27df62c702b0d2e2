import type { LintRule } from "../../rule.js";
import { workloadInAmbientMode } from "./mesh-membership.js";
import { ISTIO_SIDECAR, sidecarName, sidecarScopes } from "./sidecar-scopes.js";

/**
 * istioctl `sidecar.SelectorAnalyzer` (pkg/config/analysis/analyzers/sidecar/selector.go),
 * ConflictingSidecarWorkloadSelectors (IST0110): for every pod selected by
 * more than one Sidecar, each of those Sidecars is reported (once per such
 * pod). Pods in ambient mode are left to MP1047: they run no sidecar.
 */
export const conflictingSidecarSelectors: LintRule = {
  code: "MP1045",
  title: "Sidecars select the same workload",
  severity: "error",
  docs:
    "Several Sidecar resources select the same workload. Istio applies only one Sidecar to a proxy and which one " +
    "is not defined, so the workload's egress visibility and ingress listeners depend on an arbitrary choice.",
  equivalents: ["IST0110"],
  kinds: [ISTIO_SIDECAR],
  check(ctx) {
    const { byWorkload } = sidecarScopes(ctx.model);
    for (const [w, sidecars] of byWorkload) {
      if (sidecars.length < 2 || workloadInAmbientMode(w, ctx.model)) continue;
      const names = sidecars.map((s) => sidecarName(s, ctx.model));
      for (const s of sidecars) {
        ctx.report(
          s.res,
          ["metadata", "name"],
          `Sidecars ${names.join(", ")} all select ${w.kind} ${w.namespace}/${w.name}; Istio applies only one of them, and which one is undefined`,
          { hint: "Make the workloadSelectors disjoint, or merge the Sidecars into one." },
        );
      }
    }
  },
};
