/**
 * The OSM policies of one kind that OSM actually enforces: those in a
 * namespace the mesh monitors, while the MeshConfig feature flag for the kind
 * is not switched off. The others become findings saying why they do nothing.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { GroupKind } from "../../manifests/types.js";
import type { MeshConfig } from "../../manifests/schemas/smi.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { osmMonitored, unmonitoredFinding } from "./osm-monitored.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export type OsmPolicyFlag = "enableEgressPolicy" | "enableIngressBackendPolicy";

export function enforcedOsmPolicies<T>(
  model: MeshModel,
  gk: GroupKind,
  meshConfig: Typed<MeshConfig> | null,
  flag: OsmPolicyFlag,
  findings: Finding[],
): { typed: Typed<T>; namespace: string; label: string }[] {
  const disabled = meshConfig?.obj.spec?.featureFlags?.[flag] === false;
  const out: { typed: Typed<T>; namespace: string; label: string }[] = [];
  for (const typed of model.list<T>(gk)) {
    const res = typed.res;
    const namespace = typed.namespace ?? model.defaultNamespace;
    const label = `${res.kind} ${namespace}/${res.name}`;
    if (!osmMonitored(model, namespace)) {
      findings.push(unmonitoredFinding(res, namespace));
      continue;
    }
    if (disabled) {
      findings.push(
        findingAt(
          res,
          [],
          smiFinding(smiCodes.featureDisabled, `${label} has no effect: MeshConfig ${meshConfig!.res.name} sets featureFlags.${flag}: false`, {
            hint: `Set spec.featureFlags.${flag}: true in the MeshConfig.`,
          }),
        ),
      );
      continue;
    }
    out.push({ typed, namespace, label });
  }
  return out;
}
