/**
 * Where the TLS a DestinationRule makes clients originate cannot work with
 * the mTLS mode the destination's PeerAuthentication makes its proxy accept:
 *
 * - `DISABLE` (plaintext) or `SIMPLE` (TLS without an Istio client
 *   certificate) towards a port whose mode is STRICT: the server proxy (or
 *   ztunnel in ambient mode) accepts only Istio mTLS and resets the
 *   connection, so requests fail with 503.
 * - `ISTIO_MUTUAL` towards a port whose mode is DISABLE: the server proxy
 *   expects plaintext and cannot read the mTLS handshake, so requests fail.
 *
 * The TLS settings a client uses for a service port are pilot's
 * (`MergeTrafficPolicy`, pilot/pkg/networking/core/cluster_builder.go): the
 * top-level `trafficPolicy`, replaced by a `portLevelSettings` entry for the
 * service port (which does not inherit: no `tls` there means none); for a
 * subset, its own `tls` overrides that, and its `portLevelSettings` entry for
 * the port replaces it again. No `tls` leaves the choice to auto mTLS, which
 * always matches the server. Only DestinationRules Istio actually applies to
 * the host (destinationRules' precedence and merging) are considered, and
 * only the `tls` fields they define.
 */
import type { DestinationRule, TrafficPolicy } from "../../../manifests/schemas/istio.js";
import { formatPath } from "../../../findings.js";
import type { FieldPath } from "../../../manifests/types.js";
import { hostMatches, resolveIstioHost } from "../../../mesh/hosts.js";
import type { MeshModel, ServiceInfo, ServicePortInfo, Typed, Workload } from "../../../mesh/types.js";
import { destinationRules } from "../../../routing/istio/destination-rules.js";
import { selectorMatches } from "./label-selectors.js";
import { workloadHasSidecar, workloadInAmbientMode } from "./mesh-membership.js";
import { peerAuthenticationResolver, type EffectivePeerAuthentication } from "./peer-authentication-mode.js";
import { podTemplate } from "./pod-template.js";

export type MtlsConflictKind = "plaintext-to-strict" | "mutual-to-disabled";

export interface MtlsConflictTarget {
  service: ServiceInfo;
  servicePort: number;
  workload: Workload;
  podPort: number | null;
  server: EffectivePeerAuthentication;
}

export interface MtlsConflict {
  kind: MtlsConflictKind;
  rule: Typed<DestinationRule>;
  /** The `tls.mode` field that sets the client side. */
  path: FieldPath;
  /** Upper-cased: DISABLE, SIMPLE or ISTIO_MUTUAL. */
  clientMode: string;
  /** The `tls` block sets no mode, which means DISABLE. */
  implicitMode: boolean;
  targets: MtlsConflictTarget[];
}

interface TlsOrigin {
  mode: string | null;
  implicit?: boolean;
  /** Where this rule sets it; null when the mode comes from another DestinationRule merged for the host. */
  path: FieldPath | null;
}

export function mtlsConflicts(model: MeshModel): MtlsConflict[] {
  const index = destinationRules(model);
  const serverMode = peerAuthenticationResolver(model);
  const conflicts = new Map<string, MtlsConflict>();

  const check = (rule: Typed<DestinationRule>, origin: TlsOrigin, service: ServiceInfo, port: ServicePortInfo, workloads: readonly Workload[]) => {
    if (!origin.mode || !origin.path) return;
    const clientMode = origin.mode.toUpperCase();
    const kind: MtlsConflictKind | null =
      clientMode === "DISABLE" || clientMode === "SIMPLE" ? "plaintext-to-strict" : clientMode === "ISTIO_MUTUAL" ? "mutual-to-disabled" : null;
    if (!kind) return;
    for (const workload of workloads) {
      const podPort = podPortOf(port, workload);
      const server = serverMode(workload, podPort);
      const sidecar = workloadHasSidecar(workload, model);
      const ambient = workloadInAmbientMode(workload, model);
      // STRICT is enforced by a sidecar or by ztunnel; ambient mode ignores DISABLE policies (pilot skips them).
      const clash =
        kind === "plaintext-to-strict"
          ? server.mode === "STRICT" && (sidecar !== false || ambient)
          : server.mode === "DISABLE" && sidecar !== false && !ambient;
      if (!clash) continue;
      const key = `${kind}|${rule.res.file}#${rule.res.docIndex}|${formatPath(origin.path)}`;
      let conflict = conflicts.get(key);
      if (!conflict) {
        conflict = { kind, rule, path: origin.path, clientMode, implicitMode: origin.implicit === true, targets: [] };
        conflicts.set(key, conflict);
      }
      conflict.targets.push({ service, servicePort: port.port, workload, podPort, server });
    }
  };

  for (const rule of model.list<DestinationRule>("networking.istio.io/DestinationRule")) {
    const spec = rule.obj.spec;
    if (!spec) continue;
    const namespace = rule.namespace ?? model.defaultNamespace;
    const host = resolveIstioHost(spec.host, namespace, model.clusterDomain);
    const services = host.includes("*")
      ? [...model.services.values()].filter((s) => hostMatches(host, s.fqdn))
      : [model.services.get(host)].filter((s): s is ServiceInfo => s !== undefined);
    for (const service of services) {
      if (service.workloads.length === 0) continue;
      // The rule must be the one Istio applies to this host, at least for clients in its own namespace.
      const resolved = index.forHost(service.fqdn, namespace);
      if (!resolved || !resolved.rules.includes(rule)) continue;
      const topIsOurs = spec.trafficPolicy !== undefined && resolved.trafficPolicy === spec.trafficPolicy;
      for (const port of service.ports) {
        if (topIsOurs) check(rule, destinationTls(resolved.trafficPolicy, port.port, true), service, port, service.workloads);
        (spec.subsets ?? []).forEach((subset, j) => {
          const used = resolved.subsets.get(subset.name);
          if (!used || used.rule !== rule || used.index !== j) return;
          const workloads = service.workloads.filter((w) => selectorMatches(subset.labels ?? {}, w.labels));
          check(rule, subsetTls(resolved.trafficPolicy, topIsOurs, subset.trafficPolicy, j, port.port), service, port, workloads);
        });
      }
    }
  }
  return [...conflicts.values()];
}

/** Destination-level TLS for a service port: a `portLevelSettings` entry for the port replaces the top-level settings. */
function destinationTls(policy: TrafficPolicy | null, port: number, ours: boolean): TlsOrigin {
  if (!policy) return { mode: null, path: null };
  const i = (policy.portLevelSettings ?? []).findIndex((p) => p.port?.number === port);
  if (i >= 0) {
    return { ...tlsMode(policy.portLevelSettings![i]!.tls), path: ours ? ["spec", "trafficPolicy", "portLevelSettings", i, "tls", "mode"] : null };
  }
  return { ...tlsMode(policy.tls), path: ours ? ["spec", "trafficPolicy", "tls", "mode"] : null };
}

function subsetTls(top: TrafficPolicy | null, topIsOurs: boolean, subset: TrafficPolicy | undefined, j: number, port: number): TlsOrigin {
  const base: FieldPath = ["spec", "subsets", j, "trafficPolicy"];
  if (subset) {
    const i = (subset.portLevelSettings ?? []).findIndex((p) => p.port?.number === port);
    if (i >= 0) return { ...tlsMode(subset.portLevelSettings![i]!.tls), path: [...base, "portLevelSettings", i, "tls", "mode"] };
    if (subset.tls) return { ...tlsMode(subset.tls), path: [...base, "tls", "mode"] };
  }
  return destinationTls(top, port, topIsOurs);
}

/**
 * No `tls` block: auto mTLS decides (null). A `tls` block without `mode` is
 * DISABLE, the ClientTLSSettings enum's zero value, and pilot uses it as
 * written (`buildUpstreamTLSSettings`): plaintext.
 */
function tlsMode(tls: { mode?: string | undefined } | undefined): { mode: string | null; implicit: boolean } {
  if (!tls) return { mode: null, implicit: false };
  return tls.mode === undefined ? { mode: "DISABLE", implicit: true } : { mode: tls.mode, implicit: false };
}

/** The pod port a Service port delivers to: a numeric `targetPort`, or a named one resolved through the container ports. */
function podPortOf(port: ServicePortInfo, w: Workload): number | null {
  const target = port.targetPort;
  if (typeof target === "number") return target;
  if (typeof target === "string") return /^\d+$/.test(target) ? Number(target) : (podTemplate(w).namedPorts.get(target) ?? null);
  return port.port;
}
