/**
 * Which DestinationRule applies to a destination host, and what its subsets
 * resolve to.
 *
 * Istio picks one DestinationRule per host and client (pilot
 * `PushContext.destinationRule`): first a rule in the client's own namespace,
 * then one the service's namespace exports to the client, then one the root
 * namespace exports; within a namespace the most specific host wins (exact
 * before wildcard, longer wildcard before shorter), and several rules for that
 * same host are merged in order (the first definition of a subset name wins,
 * the first traffic policy applies). `exportTo` is honoured: `*` (default),
 * `.` (own namespace), `~` (nobody) or namespace names.
 */
import type { DestinationRule, DestinationRuleSubset, ServiceEntry, TrafficPolicy } from "../../manifests/schemas/istio.js";
import { hostMatches, parseServiceFqdn, resolveIstioHost } from "../../mesh/hosts.js";
import type { Labels, MeshModel, Typed } from "../../mesh/types.js";

/** Istio's configuration root namespace (meshConfig.rootNamespace default). */
export const ISTIO_ROOT_NAMESPACE = "istio-system";

export interface SubsetDefinition {
  name: string;
  labels: Labels;
  trafficPolicy: TrafficPolicy | null;
  /** The DestinationRule that defines it and the subset's index there. */
  rule: Typed<DestinationRule>;
  index: number;
}

export interface ResolvedDestinationRule {
  /** The DestinationRule host as resolved in its namespace (may be a wildcard). */
  host: string;
  namespace: string;
  /** The rules merged for that host, in load order. */
  rules: Typed<DestinationRule>[];
  subsets: Map<string, SubsetDefinition>;
  trafficPolicy: TrafficPolicy | null;
}

export interface DestinationRuleIndex {
  /** The DestinationRule Istio applies to `host` for a client in `clientNamespace`, or null. */
  forHost(host: string, clientNamespace: string): ResolvedDestinationRule | null;
  /** The namespace a host's service lives in: a Kubernetes Service's, or the first ServiceEntry declaring it. */
  serviceNamespace(host: string): string | null;
  /** The pods a host's endpoints are: the Service selector, or a ServiceEntry `workloadSelector`. */
  serviceSelector(host: string): Labels | null;
}

interface IndexedRule {
  typed: Typed<DestinationRule>;
  namespace: string;
  host: string;
  exportTo: readonly string[];
}

export function destinationRules(model: MeshModel): DestinationRuleIndex {
  const byNamespace = new Map<string, IndexedRule[]>();
  for (const typed of model.list<DestinationRule>("networking.istio.io/DestinationRule")) {
    const spec = typed.obj.spec;
    if (!spec) continue;
    const namespace = typed.namespace ?? model.defaultNamespace;
    const entry: IndexedRule = {
      typed,
      namespace,
      host: resolveIstioHost(spec.host, namespace, model.clusterDomain),
      exportTo: spec.exportTo ?? [],
    };
    let list = byNamespace.get(namespace);
    if (!list) byNamespace.set(namespace, (list = []));
    list.push(entry);
  }

  const entryHosts = new Map<string, { namespace: string; selector: Labels | null }>();
  for (const typed of model.list<ServiceEntry>("networking.istio.io/ServiceEntry")) {
    const namespace = typed.namespace ?? model.defaultNamespace;
    const selector = typed.obj.spec?.workloadSelector?.labels ?? null;
    for (const h of typed.obj.spec?.hosts ?? []) {
      const host = resolveIstioHost(h, namespace, model.clusterDomain);
      if (!entryHosts.has(host)) entryHosts.set(host, { namespace, selector });
    }
  }

  const serviceNamespace = (host: string): string | null => {
    const svc = model.services.get(host);
    if (svc) return svc.namespace;
    const entry = entryHosts.get(host);
    if (entry) return entry.namespace;
    return parseServiceFqdn(host, model.clusterDomain)?.namespace ?? null;
  };

  const serviceSelector = (host: string): Labels | null => {
    const svc = model.services.get(host);
    if (svc) return svc.selector;
    return entryHosts.get(host)?.selector ?? null;
  };

  const pick = (candidates: readonly IndexedRule[], host: string): ResolvedDestinationRule | null => {
    let best: string | null = null;
    for (const c of candidates) {
      if (c.host === host) {
        best = host;
        break;
      }
      if (c.host.startsWith("*") && hostMatches(c.host, host) && (best === null || c.host.length > best.length)) best = c.host;
    }
    if (best === null) return null;
    const chosen = candidates.filter((c) => c.host === best);
    return merge(best, chosen);
  };

  const forHost = (host: string, clientNamespace: string): ResolvedDestinationRule | null => {
    const local = pick(byNamespace.get(clientNamespace) ?? [], host);
    if (local) return local;
    const exported = (ns: string) =>
      ns === clientNamespace ? [] : (byNamespace.get(ns) ?? []).filter((c) => exportedTo(c, clientNamespace));
    const svcNs = serviceNamespace(host);
    if (svcNs) {
      const fromService = pick(exported(svcNs), host);
      if (fromService) return fromService;
    }
    return pick(exported(ISTIO_ROOT_NAMESPACE), host);
  };

  return { forHost, serviceNamespace, serviceSelector };
}

function exportedTo(rule: IndexedRule, clientNamespace: string): boolean {
  if (rule.exportTo.length === 0) return true;
  return rule.exportTo.some((e) => e === "*" || e === clientNamespace || (e === "." && rule.namespace === clientNamespace));
}

function merge(host: string, chosen: readonly IndexedRule[]): ResolvedDestinationRule {
  const subsets = new Map<string, SubsetDefinition>();
  let trafficPolicy: TrafficPolicy | null = null;
  for (const c of chosen) {
    const spec = c.typed.obj.spec;
    if (!trafficPolicy && spec?.trafficPolicy) trafficPolicy = spec.trafficPolicy;
    (spec?.subsets ?? []).forEach((s: DestinationRuleSubset, index: number) => {
      if (!subsets.has(s.name)) {
        subsets.set(s.name, { name: s.name, labels: s.labels ?? {}, trafficPolicy: s.trafficPolicy ?? null, rule: c.typed, index });
      }
    });
  }
  return { host, namespace: chosen[0]!.namespace, rules: chosen.map((c) => c.typed), subsets, trafficPolicy };
}
