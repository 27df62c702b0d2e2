/**
 * The effective routing table of a whole tree: every engine's hosts, plus the
 * implicit route of each Service no mesh API routes ("no VirtualService for a
 * host -> the Service itself, 100%"), and the access rules.
 */
import type { Finding } from "../findings.js";
import type { MeshModel } from "../mesh/types.js";
import type { RoutingEngine } from "./engine.js";
import { compactHosts } from "./compact-hosts.js";
import { originOf } from "./engine.js";
import { shareUnchanged } from "./share-unchanged.js";
import { gatewayApiRoutes } from "./gateway-api/gateway-api-routes.js";
import { ingressRoutes } from "./ingress/ingress-routes.js";
import { istioRoutes } from "./istio/istio-routes.js";
import { smiPermissive } from "./smi/smi-permissive.js";
import { smiRoutes } from "./smi/smi-routes.js";
import { emptyPolicies, type AccessRule, type HostRoutes, type RoutingTable } from "./types.js";

export const routingEngines: readonly RoutingEngine[] = [istioRoutes, smiRoutes, gatewayApiRoutes, ingressRoutes];

/**
 * With `base` (another revision's table, e.g. the base of a pull request),
 * every host table and access rule that routes as the base's does is the
 * base's own object (`shareUnchanged`), and only the others are built anew.
 */
export function effectiveRoutes(model: MeshModel, base: RoutingTable | null = null): { table: RoutingTable; findings: Finding[] } {
  const hosts: HostRoutes[] = [];
  const access: AccessRule[] = [];
  const findings: Finding[] = [];
  for (const engine of routingEngines) {
    const r = engine(model);
    hosts.push(...r.hosts);
    access.push(...r.access);
    findings.push(...r.findings);
  }

  const meshRouted = new Set<string>();
  for (const h of hosts) if (h.attachment === "mesh") meshRouted.add(h.host);
  for (const svc of model.services.values()) {
    if (meshRouted.has(svc.fqdn)) continue;
    const origin = originOf(svc.res, ["metadata", "name"]);
    hosts.push({
      key: `service|mesh|${svc.fqdn}|*|http`,
      host: svc.fqdn,
      port: null,
      protocol: "http",
      source: "service",
      attachment: "mesh",
      rules: [
        {
          id: "default",
          name: null,
          matches: [],
          backends: [{ service: svc.fqdn, subset: null, port: null, weight: 100, selector: svc.selector }],
          policies: emptyPolicies(),
          origin,
        },
      ],
      origins: [origin],
    });
  }

  hosts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  access.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const built: RoutingTable = { hosts, access: { rules: access, smiPermissive: smiPermissive(model) } };
  return { table: base ? shareUnchanged(base, built) : { ...built, hosts: compactHosts(hosts) }, findings };
}
