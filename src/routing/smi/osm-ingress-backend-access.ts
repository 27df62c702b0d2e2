/**
 * OSM IngressBackend (policy.openservicemesh.io/v1alpha1) -> allow rules for
 * requests entering the mesh: the listed sources (an ingress controller's
 * Service, an mTLS principal, an IP range) may reach each backend Service on
 * the given target port (OSM docs, "Ingress"). The rules carry
 * `direction: "ingress"`: mesh-internal calls are not governed by them.
 *
 * OSM admits `Service` sources by the source IPs of the Service's endpoints;
 * meshplan identifies those pods by their service accounts. `IPRange`
 * sources have no identity to trace and are left out.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { IngressBackend, MeshConfig } from "../../manifests/schemas/smi.js";
import { serviceFqdn } from "../../mesh/hosts.js";
import type { MeshModel, ServiceInfo, Typed } from "../../mesh/types.js";
import { principalOf } from "../access.js";
import { originOf } from "../engine.js";
import type { AccessRule, AccessSource } from "../types.js";
import { describePorts } from "./describe-match.js";
import { enforcedOsmPolicies } from "./enforced-osm-policies.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export interface OsmIngressBackendAccess {
  access: AccessRule[];
  findings: Finding[];
}

export function osmIngressBackendAccess(model: MeshModel, meshConfig: Typed<MeshConfig> | null): OsmIngressBackendAccess {
  const access: AccessRule[] = [];
  const findings: Finding[] = [];
  for (const { typed, namespace, label } of enforcedOsmPolicies<IngressBackend>(model, "policy.openservicemesh.io/IngressBackend", meshConfig, "enableIngressBackendPolicy", findings)) {
    const res = typed.res;
    const spec = typed.obj.spec;

    const from: AccessSource[] = [];
    const sourceNames: string[] = [];
    spec.sources.forEach((s, i) => {
      if (s.kind === "Service") {
        const ns = s.namespace || namespace;
        const svc = model.services.get(serviceFqdn(s.name, ns, model.clusterDomain));
        // Without the Service's pods in the tree, the closest identity meshplan can name is its namespace.
        from.push(svc && svc.serviceAccounts.length ? { principals: svc.serviceAccounts.map((sa) => principalOf(ns, sa)) } : { namespaces: [ns] });
        sourceNames.push(`${ns}/${s.name}`);
      } else if (s.kind === "AuthenticatedPrincipal") {
        // OSM certificates name a service account `sa.namespace.cluster.local`.
        const osmName = /^([^.]+)\.([^.]+)\.cluster\.local$/.exec(s.name);
        from.push({ principals: [osmName ? principalOf(osmName[2]!, osmName[1]!) : s.name] });
        sourceNames.push(s.name);
      } else {
        findings.push(
          findingAt(
            res,
            ["spec", "sources", i, "kind"],
            smiFinding(
              smiCodes.unsupportedReference,
              `${label}: source ${s.kind} ${s.name} admits callers by address, which meshplan cannot trace; it is left out of the access rule`,
              { severity: "info" },
            ),
          ),
        );
      }
    });

    spec.backends.forEach((b, i) => {
      const svc = model.services.get(serviceFqdn(b.name, namespace, model.clusterDomain));
      if (!svc) {
        findings.push(
          findingAt(
            res,
            ["spec", "backends", i, "name"],
            smiFinding(smiCodes.backendMissing, `${label}: backend service ${namespace}/${b.name} is not in the tree`, {
              severity: "warning",
              hint: `Declare Service ${b.name} in namespace ${namespace} or remove the backend.`,
            }),
          ),
        );
        return;
      }
      const ports = servicePortsFor(svc, b.port.number);
      access.push({
        id: `smi|IngressBackend|${namespace}/${res.name}|${b.name}`,
        engine: "smi",
        action: "ALLOW",
        target: { namespace, selector: svc.selector, serviceAccount: null },
        from,
        to: [{ ports }],
        when: [],
        matchesNothing: from.length === 0,
        summary: `allow ingress ${sourceNames.join(", ") || "no source"} -> ${namespace}/${b.name} ${describePorts(ports)} (${b.port.protocol})`,
        origin: originOf(res, ["spec", "backends", i]),
        direction: "ingress",
      });
    });
  }
  return { access, findings };
}

/**
 * IngressBackend names the backend's target port; a traced request names the
 * Service port. The Service ports that forward to it, else the number itself.
 */
function servicePortsFor(svc: ServiceInfo, targetPort: number): number[] {
  const ports = svc.ports.filter((p) => (p.targetPort ?? p.port) === targetPort).map((p) => p.port);
  return ports.length ? ports : [targetPort];
}
