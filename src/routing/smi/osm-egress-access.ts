/**
 * OSM Egress (policy.openservicemesh.io/v1alpha1) -> allow rules for calls
 * leaving the mesh: the listed source service accounts may reach the listed
 * external hosts (or IP ranges) on the listed ports, restricted to the
 * requests of any referenced HTTPRouteGroup (OSM docs, "Egress Policy").
 * An Egress with ports only allows those ports to any destination. The
 * rules carry `direction: "egress"`: they protect no mesh workload.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { Egress, MeshConfig } from "../../manifests/schemas/smi.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { principalOf } from "../access.js";
import { originOf } from "../engine.js";
import type { AccessOperation, AccessRule, RequestMatch } from "../types.js";
import { describeMatch, describePorts } from "./describe-match.js";
import { enforcedOsmPolicies } from "./enforced-osm-policies.js";
import type { RouteGroups } from "./route-groups.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export interface OsmEgressAccess {
  access: AccessRule[];
  findings: Finding[];
}

export function osmEgressAccess(model: MeshModel, groups: RouteGroups, meshConfig: Typed<MeshConfig> | null): OsmEgressAccess {
  const access: AccessRule[] = [];
  const findings: Finding[] = [];
  for (const { typed, namespace, label } of enforcedOsmPolicies<Egress>(model, "policy.openservicemesh.io/Egress", meshConfig, "enableEgressPolicy", findings)) {
    const res = typed.res;
    const spec = typed.obj.spec;

    const matches: RequestMatch[] = [];
    let routeGroupNamed = false;
    (spec.matches ?? []).forEach((ref, i) => {
      if (ref.kind === "HTTPRouteGroup") {
        routeGroupNamed = true;
        const group = groups.http(namespace, ref.name);
        if (group) for (const m of group.matches) matches.push(...m.requestMatches);
        else {
          findings.push(
            findingAt(
              res,
              ["spec", "matches", i, "name"],
              smiFinding(smiCodes.routeGroupMissing, `${label}: HTTPRouteGroup ${namespace}/${ref.name} is not in the tree, so its routes are not allowed`, {
                hint: `Declare HTTPRouteGroup ${ref.name} in namespace ${namespace}.`,
              }),
            ),
          );
        }
      } else if (ref.kind === "UpstreamTrafficSetting" && !model.get("policy.openservicemesh.io/UpstreamTrafficSetting", namespace, ref.name)) {
        findings.push(
          findingAt(
            res,
            ["spec", "matches", i, "name"],
            smiFinding(smiCodes.routeGroupMissing, `${label}: UpstreamTrafficSetting ${namespace}/${ref.name} is not in the tree`, {
              severity: "warning",
              hint: `Declare UpstreamTrafficSetting ${ref.name} in namespace ${namespace}.`,
            }),
          ),
        );
      }
    });

    const ports = spec.ports.map((p) => p.number);
    const hosts = spec.hosts ?? [];
    const ipAddresses = spec.ipAddresses ?? [];
    const to: AccessOperation[] = [];
    // A route group that resolves to nothing allows no request.
    if (!routeGroupNamed || matches.length > 0) {
      const http = matches.length ? { matches } : {};
      if (hosts.length) to.push({ hosts: [...hosts], ports, ...http });
      if (ipAddresses.length || !hosts.length) to.push({ ports, ...http });
    }

    const sources = spec.sources.map((s) => `${s.namespace}/${s.name}`);
    const where = [...hosts, ...ipAddresses].join(", ") || "any host";
    access.push({
      id: `smi|Egress|${namespace}/${res.name}`,
      engine: "smi",
      action: "ALLOW",
      target: { namespace: null, selector: null, serviceAccount: null },
      from: spec.sources.map((s) => ({ principals: [principalOf(s.namespace, s.name)] })),
      to,
      when: [],
      matchesNothing: to.length === 0,
      summary:
        `allow egress ${sources.join(", ")} -> ${where} ${describePorts(ports)} ` +
        `(${spec.ports.map((p) => p.protocol).join(", ")})${matches.length ? `: ${matches.map(describeMatch).join(", ")}` : ""}`,
      origin: originOf(res, []),
      direction: "egress",
    });
  }
  return { access, findings };
}
