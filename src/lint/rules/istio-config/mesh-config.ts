/**
 * The Istio MeshConfig the tree declares: the `mesh` key of ConfigMap
 * `istio` in the Istio namespace, which istiod reads at startup (Istio
 * "Global Mesh Options"). Only the fields the rules read are kept; what the
 * tree does not set keeps Istio's default (mesh.DefaultMeshConfig). A `mesh`
 * value that is not valid YAML is treated as absent: istiod would refuse it
 * and keep its defaults.
 */
import { parseDocument } from "yaml";
import type { ConfigMap } from "../../../manifests/schemas/kubernetes.js";
import type { MeshModel } from "../../../mesh/types.js";
import { ISTIO_ROOT_NAMESPACE } from "../../../routing/istio/destination-rules.js";

export interface MeshConfigView {
  /** meshConfig.rootNamespace: policies here apply mesh-wide. Default: the Istio namespace. */
  rootNamespace: string;
  /** meshConfig.defaultConfig.proxyMetadata: environment of every proxy. */
  proxyMetadata: Record<string, string>;
  /** The ConfigMap the values come from, when the tree has one. */
  source: ConfigMap | null;
}

const ISTIO_NAMESPACE = ISTIO_ROOT_NAMESPACE;
const MESH_CONFIGMAP = "istio";

export function meshConfigOf(model: MeshModel): MeshConfigView {
  const found = model.get<ConfigMap>("/ConfigMap", ISTIO_NAMESPACE, MESH_CONFIGMAP);
  const view: MeshConfigView = { rootNamespace: ISTIO_NAMESPACE, proxyMetadata: {}, source: found?.obj ?? null };
  const text = found?.obj.data?.["mesh"];
  if (typeof text !== "string") return view;
  const mesh = parseMesh(text);
  if (typeof mesh["rootNamespace"] === "string" && mesh["rootNamespace"] !== "") view.rootNamespace = mesh["rootNamespace"];
  const metadata = record(record(mesh["defaultConfig"])["proxyMetadata"]);
  // proxyMetadata is map<string,string>; an unquoted `true` in YAML still means "true" to the proxy.
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") view.proxyMetadata[k] = String(v);
  }
  return view;
}

function parseMesh(text: string): Record<string, unknown> {
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) return {};
    return record(doc.toJS({ maxAliasCount: 100 }));
  } catch {
    return {};
  }
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
