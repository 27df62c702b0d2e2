/**
 * The service a DestinationRule's host names, as istioctl's
 * destinationrule.PodNotSelectedAnalyzer looks it up
 * (pkg/config/analysis/analyzers/util/service_lookup.go,
 * `InitServiceEntryHostMap` and `GetDestinationHost`): Kubernetes Services
 * and ServiceEntry hosts, each visible in the namespaces it is exported to
 * (a ServiceEntry's `exportTo`; a Service's `networking.istio.io/exportTo`
 * annotation; everywhere by default). The host is first looked up exactly,
 * among hosts exported everywhere, then among hosts exported to the
 * namespaces the DestinationRule is visible in (its own, or its `exportTo`),
 * then against wildcard ServiceEntry hosts visible in its namespace. A
 * Service wins over a ServiceEntry declaring the same host.
 *
 * One difference from istioctl, so that mesh-wide rules are not reported:
 * a wildcard DestinationRule host (`*.local`, `*`) is also known when it
 * matches any visible host, as pilot applies it to every such service.
 */
import type { DestinationRule, ServiceEntry } from "../../../manifests/schemas/istio.js";
import { hostMatches, resolveIstioHost } from "../../../mesh/hosts.js";
import type { MeshModel, ServiceInfo, Typed } from "../../../mesh/types.js";

export type DestinationHost =
  | { kind: "service"; host: string; service: ServiceInfo }
  | { kind: "serviceEntry"; host: string; entry: Typed<ServiceEntry> };

const EVERYWHERE = "*";

interface ScopedHost {
  scope: string;
  host: string;
  target: DestinationHost;
}

export interface DestinationHostIndex {
  /** The service the rule's host names, or null when none is visible to it. */
  lookup(rule: Typed<DestinationRule>): DestinationHost | null;
}

export function destinationHostIndex(model: MeshModel): DestinationHostIndex {
  const exact = new Map<string, DestinationHost>();
  const wildcards: ScopedHost[] = [];
  const all: ScopedHost[] = [];
  const add = (scope: string, target: DestinationHost) => {
    exact.set(`${scope}\u0000${target.host}`, target);
    const entry = { scope, host: target.host, target };
    all.push(entry);
    if (target.host.startsWith("*")) wildcards.push(entry);
  };

  for (const entry of model.list<ServiceEntry>("networking.istio.io/ServiceEntry")) {
    const ns = entry.namespace ?? model.defaultNamespace;
    const scopes = exportScopes(entry.obj.spec?.exportTo ?? [], ns);
    for (const h of entry.obj.spec?.hosts ?? []) {
      const host = resolveIstioHost(h, ns, model.clusterDomain);
      for (const scope of scopes) add(scope, { kind: "serviceEntry", host, entry });
    }
  }
  // Services after ServiceEntries: for the same scoped host the Service wins.
  for (const service of model.services.values()) {
    const annotation = service.res.annotations["networking.istio.io/exportTo"] ?? "";
    const scopes = annotation === "" ? [EVERYWHERE] : annotation.split(",").map((s) => (s === "." ? service.namespace : s));
    for (const scope of scopes) add(scope, { kind: "service", host: service.fqdn, service });
  }

  return {
    lookup(rule) {
      const spec = rule.obj.spec;
      if (!spec) return null;
      const ns = rule.namespace ?? model.defaultNamespace;
      const host = resolveIstioHost(spec.host, ns, model.clusterDomain);
      const found = exact.get(`${EVERYWHERE}\u0000${host}`);
      if (found) return found;
      const exportTo = spec.exportTo ?? [];
      for (const scope of exportTo.length === 0 ? [ns] : exportTo.map((e) => (e === "." ? ns : e))) {
        const scoped = exact.get(`${scope}\u0000${host}`);
        if (scoped) return scoped;
      }
      const visible = (s: ScopedHost) => s.scope === EVERYWHERE || s.scope === ns;
      const bare = host.replace(/^\*/, "");
      for (const w of wildcards) if (visible(w) && bare.endsWith(w.host.slice(1))) return w.target;
      if (host.startsWith("*")) for (const s of all) if (visible(s) && hostMatches(host, s.host)) return s.target;
      return null;
    },
  };
}

/** istioctl `exportToScopes`: no exportTo or a `*` is everywhere; `.` is the own namespace. */
export function exportScopes(exportTo: readonly string[], namespace: string): string[] {
  if (exportTo.length === 0 || exportTo.includes(EVERYWHERE)) return [EVERYWHERE];
  return [...new Set(exportTo.map((e) => (e === "." ? namespace : e)))];
}
