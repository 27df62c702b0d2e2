/**
 * OSM namespace membership: OSM reads SMI and policy resources only from
 * namespaces labelled `openservicemesh.io/monitored-by` (OSM docs, "Namespace
 * Addition"; the smi client skips others with IsMonitoredNamespace). A tree
 * that declares the Namespace without the label shows it is not monitored; a
 * namespace the tree does not declare is assumed to be.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { Resource } from "../../manifests/types.js";
import type { MeshModel } from "../../mesh/types.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export function osmMonitored(model: MeshModel, namespace: string): boolean {
  const ns = model.namespaces.get(namespace);
  return !ns || !ns.declared || ns.osmMonitoredBy !== null;
}

/** The finding for a policy OSM does not read because of its namespace. */
export function unmonitoredFinding(res: Resource, namespace: string): Finding {
  return findingAt(
    res,
    ["metadata", "namespace"],
    smiFinding(smiCodes.namespaceNotMonitored, `${res.kind} ${namespace}/${res.name} has no effect: namespace ${namespace} has no openservicemesh.io/monitored-by label`, {
      hint: `Add the namespace to the mesh (osm namespace add ${namespace}) or label it openservicemesh.io/monitored-by=<mesh name>.`,
    }),
  );
}
