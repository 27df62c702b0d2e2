/**
 * The labels Istio matches subsets against for a workload's endpoints: the
 * pod labels plus the locality labels pilot adds from the node the pod runs
 * on (pilot `labelutil.AugmentLabels`): `topology.kubernetes.io/region`,
 * `topology.kubernetes.io/zone` and `topology.istio.io/subzone` when the
 * node sets them to a non-empty value, and `kubernetes.io/hostname`, the
 * node name. An empty locality is not a label: a subset asking for
 * `region: ""` selects nothing.
 */
import type { Labels, MeshModel, Workload } from "../../../mesh/types.js";
import { podShapeOf } from "./mesh-membership.js";

const LOCALITY_LABELS = ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"];
const HOSTNAME_LABEL = "kubernetes.io/hostname";

export type NodeLabels = ReadonlyMap<string, Labels>;

/** Node name -> labels, for the Nodes in the tree. */
export function nodeLabelsOf(model: MeshModel): NodeLabels {
  const out = new Map<string, Labels>();
  for (const node of model.list<unknown>("/Node")) out.set(node.res.name, node.res.labels);
  return out;
}

export function endpointLabels(w: Workload, nodes: NodeLabels): Labels {
  const labels: Labels = { ...w.labels };
  const nodeName = podShapeOf(w).nodeName;
  if (nodeName === null) return labels;
  const node = nodes.get(nodeName);
  for (const key of LOCALITY_LABELS) {
    const value = node?.[key];
    if (value) labels[key] = value;
  }
  labels[HOSTNAME_LABEL] = nodeName;
  return labels;
}

/** `selector` (all of its labels) holds for `labels`; an empty selector holds for anything. */
export function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}
