/**
 * The OSM MeshConfig in effect. OSM reads one MeshConfig, `osm-mesh-config`
 * in the control plane's namespace (OSM docs, "Mesh configuration"); a tree
 * may hold others (copies, other meshes), which OSM does not read.
 */
import type { MeshConfig } from "../../manifests/schemas/smi.js";
import type { MeshModel, Typed } from "../../mesh/types.js";

export const OSM_MESH_CONFIG_NAME = "osm-mesh-config";

export interface OsmMeshConfig {
  /** The MeshConfig OSM would read: the one named osm-mesh-config, else the first; null when the tree has none. */
  config: Typed<MeshConfig> | null;
  /** Every other MeshConfig in the tree. */
  ignored: Typed<MeshConfig>[];
}

export function osmMeshConfig(model: MeshModel): OsmMeshConfig {
  const all = model.list<MeshConfig>("config.openservicemesh.io/MeshConfig");
  const config = all.find((c) => c.res.name === OSM_MESH_CONFIG_NAME) ?? all[0] ?? null;
  return { config, ignored: all.filter((c) => c !== config) };
}
