/**
 * The SMI/OSM routing engine: TrafficSplits become mesh routes for their root
 * services (with OSM Retry policies on them), TrafficTargets, Egress and
 * IngressBackend policies become allow rules. Whether those rules are
 * enforced is `smiPermissive` (OSM MeshConfig).
 */
import { findingAt } from "../../findings.js";
import type { RoutingEngine } from "../engine.js";
import { osmEgressAccess } from "./osm-egress-access.js";
import { osmIngressBackendAccess } from "./osm-ingress-backend-access.js";
import { OSM_MESH_CONFIG_NAME, osmMeshConfig } from "./osm-mesh-config.js";
import { osmRetries } from "./osm-retries.js";
import { routeGroups } from "./route-groups.js";
import { smiCodes, smiFinding } from "./smi-codes.js";
import { trafficSplitRoutes } from "./traffic-split-routes.js";
import { trafficTargetAccess } from "./traffic-target-access.js";

export const smiRoutes: RoutingEngine = (model) => {
  const groups = routeGroups(model);
  const mesh = osmMeshConfig(model);
  const meshConfigFindings = mesh.ignored.map((c) =>
    findingAt(
      c.res,
      ["metadata", "name"],
      smiFinding(
        smiCodes.multipleMeshConfigs,
        `MeshConfig ${c.namespace ?? model.defaultNamespace}/${c.res.name} is not read: OSM uses ` +
          `${mesh.config!.namespace ?? model.defaultNamespace}/${mesh.config!.res.name}`,
        { hint: `Keep one MeshConfig, named ${OSM_MESH_CONFIG_NAME}, in the OSM control plane namespace.` },
      ),
    ),
  );

  const splits = trafficSplitRoutes(model, groups);
  const retries = osmRetries(model, splits.hosts, mesh.config);
  const targets = trafficTargetAccess(model, groups);
  const egress = osmEgressAccess(model, groups, mesh.config);
  const ingress = osmIngressBackendAccess(model, mesh.config);
  return {
    hosts: retries.hosts,
    access: [...targets.access, ...egress.access, ...ingress.access],
    findings: [
      ...meshConfigFindings,
      ...groups.findings,
      ...splits.findings,
      ...retries.findings,
      ...targets.findings,
      ...egress.findings,
      ...ingress.findings,
    ],
  };
};
