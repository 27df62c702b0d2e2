import type { LintRule } from "../../rule.js";
import { namespaceInAmbientMode, workloadInAmbientMode } from "./mesh-membership.js";
import { ISTIO_SIDECAR, sidecarName, sidecarScopes } from "./sidecar-scopes.js";

/**
 * istioctl `sidecar.SelectorAnalyzer` (pkg/config/analysis/analyzers/sidecar/selector.go),
 * IneffectivePolicy (IST0167): a Sidecar that selects a workload in ambient
 * mode, or a namespace-wide Sidecar in a namespace in ambient mode, has no
 * proxy to configure. Each Sidecar is reported once.
 */
export const sidecarInAmbientMode: LintRule = {
  code: "MP1047",
  title: "Sidecar resource for workloads in ambient mode",
  severity: "warning",
  docs:
    "A Sidecar resource applies to workloads in ambient mode (the namespace is labelled " +
    "istio.io/dataplane-mode=ambient, or the pods are). Ambient workloads run no sidecar proxy, so the resource " +
    "has no effect.",
  equivalents: ["IST0167"],
  kinds: [ISTIO_SIDECAR],
  check(ctx) {
    const { selecting, namespaceWide } = sidecarScopes(ctx.model);
    for (const s of selecting) {
      const ambient = s.workloads.find((w) => workloadInAmbientMode(w, ctx.model));
      if (!ambient) continue;
      ctx.report(
        s.sidecar.res,
        ["spec", "workloadSelector"],
        `Sidecar ${sidecarName(s.sidecar, ctx.model)} has no effect: the ${ambient.kind} ${ambient.namespace}/${ambient.name} it selects is in ambient mode and runs no sidecar`,
        { hint: "Remove the Sidecar, or configure the workload's waypoint instead." },
      );
    }
    for (const [namespace, sidecars] of namespaceWide) {
      if (!namespaceInAmbientMode(ctx.model.namespaces.get(namespace))) continue;
      for (const s of sidecars) {
        ctx.report(
          s.res,
          ["metadata", "namespace"],
          `Sidecar ${sidecarName(s, ctx.model)} has no effect: namespace ${namespace} is in ambient mode (istio.io/dataplane-mode=ambient), so its pods run no sidecar`,
          { hint: "Remove the Sidecar, or enable sidecar injection for the namespace instead of ambient mode." },
        );
      }
    }
  },
};
