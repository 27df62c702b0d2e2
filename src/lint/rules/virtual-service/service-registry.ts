/**
 * The hosts a VirtualService destination can name, with the namespaces each is
 * visible in, as istioctl's DestinationHostAnalyzer sees them
 * (pkg/config/analysis/analyzers/util/service_lookup.go): ServiceEntry hosts
 * scoped by the entry's `exportTo`, and Kubernetes Services scoped by their
 * `networking.istio.io/exportTo` annotation (comma-separated; `.` is the
 * Service's own namespace; absent means every namespace).
 *
 * A destination is found when its host is visible to every namespace (`*`),
 * else to the namespaces the VirtualService is exported to (its own namespace
 * when it sets no `exportTo`), else through a wildcard ServiceEntry host
 * visible to all namespaces or to the VirtualService's namespace. Indexed by
 * scope and host, and wildcard hosts by suffix, so one lookup costs the number
 * of labels of the host, not the size of the tree.
 */
import type { ServiceEntry } from "../../../manifests/schemas/istio.js";
import { resolveIstioHost } from "../../../mesh/hosts.js";
import type { MeshModel } from "../../../mesh/types.js";

export interface RegisteredHost {
  /** The host as registered, fully qualified (`reviews.default.svc.cluster.local`, `*.eu.example.com`). */
  host: string;
  /** Port numbers it declares (a ServiceEntry may declare none). */
  ports: number[];
  /**
   * The ports whose traffic can meet http routes: declared HTTP, HTTP2, gRPC,
   * or with no protocol Istio recognises (it sniffs those). Not TCP, TLS,
   * HTTPS, Mongo, MySQL, Redis or UDP ports.
   */
  httpPorts: number[];
  /** `Service default/reviews`, `ServiceEntry default/external-reviews`. */
  source: string;
}

export interface ServiceRegistry {
  /** `host` as written in a resource of `namespace` whose `exportTo` is `exportTo`. */
  lookup(host: string, namespace: string, exportTo: readonly string[]): RegisteredHost | null;
}

const ALL = "*";
const EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

export function serviceRegistry(model: MeshModel): ServiceRegistry {
  const byScope = new Map<string, RegisteredHost>();
  /** Wildcard hosts by suffix (`.eu.example.com`, or `` for `*`), then scope. */
  const wildcards = new Map<string, Map<string, RegisteredHost>>();

  const register = (scope: string, entry: RegisteredHost) => {
    if (entry.host.startsWith("*")) {
      const suffix = entry.host.slice(1);
      let scopes = wildcards.get(suffix);
      if (!scopes) wildcards.set(suffix, (scopes = new Map()));
      scopes.set(scope, entry);
    }
    // Later registrations replace earlier ones, Services after ServiceEntries, as in istioctl.
    byScope.set(`${scope}/${entry.host}`, entry);
  };

  for (const se of model.list<ServiceEntry>("networking.istio.io/ServiceEntry")) {
    const namespace = se.namespace ?? model.defaultNamespace;
    const exportTo = se.obj.spec?.exportTo ?? [];
    const scopes = exportTo.length === 0 || exportTo.includes(ALL) ? [ALL] : exportTo.map((e) => (e === "." ? namespace : e));
    const sePorts = se.obj.spec?.ports ?? [];
    const ports = sePorts.map((p) => p.number);
    const httpPorts = sePorts.filter((p) => mayCarryHttp(p.protocol ?? null)).map((p) => p.number);
    for (const h of se.obj.spec?.hosts ?? []) {
      const entry = { host: resolveIstioHost(h, namespace, model.clusterDomain), ports, httpPorts, source: `ServiceEntry ${namespace}/${se.res.name}` };
      for (const scope of scopes) register(scope, entry);
    }
  }

  for (const svc of model.services.values()) {
    const annotation = svc.res.annotations[EXPORT_TO_ANNOTATION];
    const scopes = annotation ? annotation.split(",").map((e) => (e.trim() === "." ? svc.namespace : e.trim())) : [ALL];
    const httpPorts = svc.ports
      .filter((p) => !/^(UDP|SCTP)$/i.test(p.protocol) && mayCarryHttp(p.appProtocol ?? p.name?.split("-")[0] ?? null))
      .map((p) => p.port);
    const entry = { host: svc.fqdn, ports: svc.ports.map((p) => p.port), httpPorts, source: `Service ${svc.namespace}/${svc.name}` };
    for (const scope of scopes) register(scope, entry);
  }

  const wildcardFor = (host: string, namespace: string): RegisteredHost | null => {
    // The longest registered suffix wins: the most specific wildcard ServiceEntry.
    const bare = host.startsWith("*") ? host.slice(1) : host;
    const suffixes: string[] = [];
    for (let i = bare.indexOf("."); i >= 0; i = bare.indexOf(".", i + 1)) suffixes.push(bare.slice(i));
    suffixes.push("");
    for (const suffix of suffixes) {
      const scopes = wildcards.get(suffix);
      const hit = scopes?.get(ALL) ?? scopes?.get(namespace);
      if (hit) return hit;
    }
    return null;
  };

  return {
    lookup(host, namespace, exportTo) {
      const fqdn = resolveIstioHost(host, namespace, model.clusterDomain);
      const all = byScope.get(`${ALL}/${fqdn}`);
      if (all) return all;
      const scopes = exportTo.length === 0 ? [namespace] : exportTo.map((e) => (e === "." ? namespace : e));
      for (const scope of scopes) {
        const hit = byScope.get(`${scope}/${fqdn}`);
        if (hit) return hit;
      }
      return wildcardFor(fqdn, namespace);
    },
  };
}

/** Istio protocol selection: a port named `<protocol>[-suffix]` or with an appProtocol; unknown ones are sniffed. */
const NOT_HTTP = new Set(["tcp", "tls", "https", "mongo", "mysql", "redis", "udp"]);

function mayCarryHttp(protocol: string | null): boolean {
  return protocol === null || !NOT_HTTP.has(protocol.toLowerCase());
}
