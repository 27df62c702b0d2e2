/**
 * Whether SMI access policies are enforced. With OSM's permissive traffic
 * policy mode on (MeshConfig spec.traffic.enablePermissiveTrafficPolicyMode)
 * every meshed workload may call every other and TrafficTargets are not
 * enforced. Its default is false (OSM docs, "Mesh configuration": the key's
 * default value is `false`), so a tree without a MeshConfig is enforced.
 */
import type { MeshModel } from "../../mesh/types.js";
import { osmMeshConfig } from "./osm-mesh-config.js";

export function smiPermissive(model: MeshModel): boolean {
  return osmMeshConfig(model).config?.obj.spec?.traffic?.enablePermissiveTrafficPolicyMode === true;
}
