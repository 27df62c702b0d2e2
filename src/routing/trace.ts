/**
 * Where does one request go? Finds the host's routing, the first rule that
 * matches, its weighted backends and policies, and whether access policy lets
 * the caller reach the chosen workloads.
 */
import { hostMatches, serviceFqdn } from "../mesh/hosts.js";
import type { MeshModel, Workload } from "../mesh/types.js";
import { evaluateAccess, type DestinationWorkload } from "./access.js";
import { ingressHostMatches } from "./ingress/ingress-host-matches.js";
import { ruleMatches } from "./match.js";
import type { TraceRequest, TraceResult } from "./trace-types.js";
import type { HostRoutes, RoutingSource, RoutingTable, WeightedBackend } from "./types.js";

/** One mesh runs a host; when several APIs describe it, the sidecar's own API wins. */
const sourcePreference: Record<RoutingSource, number> = { istio: 0, "gateway-api": 1, smi: 2, ingress: 3, service: 4 };

/**
 * Resolves the host a request names the way cluster DNS and the sidecar's
 * virtual-host domains do: `reviews` in the caller's namespace, `reviews.ns`
 * and `reviews.ns.svc` to the service FQDN when that service exists.
 */
export function resolveRequestHost(host: string, namespace: string, model: MeshModel): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (!h.includes(".")) return serviceFqdn(h, namespace, model.clusterDomain);
  const parts = h.split(".");
  if (parts.length === 2 || (parts.length === 3 && parts[2] === "svc")) {
    const fqdn = serviceFqdn(parts[0]!, parts[1]!, model.clusterDomain);
    if (model.services.has(fqdn)) return fqdn;
  }
  return h;
}

/** Exact host beats wildcard, a longer wildcard beats a shorter one, a port-specific entry beats an all-ports one. */
function specificity(h: HostRoutes, host: string): number {
  const hostScore = h.host.toLowerCase() === host ? 1_000_000 : h.host === "*" ? 0 : h.host.length * 100;
  return hostScore + (h.port !== null ? 10 : 0);
}

export function selectHostRoutes(table: RoutingTable, req: TraceRequest, host: string): HostRoutes | null {
  let best: HostRoutes | null = null;
  let bestScore = -1;
  for (const h of table.hosts) {
    if (h.attachment !== req.attachment) continue;
    if (h.protocol === "tcp" || h.protocol === "tls") continue;
    if (h.port !== null && req.port !== null && h.port !== req.port) continue;
    // Ingress wildcards cover one DNS label; Istio and Gateway API wildcards any number.
    if (!(h.source === "ingress" ? ingressHostMatches(h.host, host) : hostMatches(h.host, host))) continue;
    const score = specificity(h, host) * 10 - sourcePreference[h.source];
    if (score > bestScore) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}

function destinationsOf(model: MeshModel, b: WeightedBackend): DestinationWorkload[] {
  const svc = model.services.get(b.service);
  if (!svc) return [];
  const selector = b.selector ?? svc.selector;
  const workloads: Workload[] = selector ? model.workloadsMatching(svc.namespace, selector) : svc.workloads;
  if (workloads.length > 0) return workloads.map((w) => ({ namespace: w.namespace, labels: w.labels, serviceAccount: w.serviceAccount }));
  // No workload in the tree: judge by what the service promises.
  return [{ namespace: svc.namespace, labels: selector ?? {}, serviceAccount: svc.serviceAccounts[0] ?? "default" }];
}

export function traceRequest(model: MeshModel, table: RoutingTable, req: TraceRequest): TraceResult {
  const ns = req.from?.namespace ?? model.defaultNamespace;
  // North-south requests name public hostnames; only mesh traffic uses cluster DNS short names.
  const resolvedHost = req.attachment === "mesh" ? resolveRequestHost(req.host, ns, model) : req.host.toLowerCase();
  const result: TraceResult = {
    request: { ...req, resolvedHost },
    allowed: true,
    deniedBy: null,
    matchedBy: null,
    backends: [],
    timeout: null,
    retries: null,
    fault: null,
    mirror: [],
    noRoute: null,
  };

  const hr = selectHostRoutes(table, req, resolvedHost);
  if (!hr) {
    result.noRoute = `no routing for ${resolvedHost} on ${req.attachment}${req.port !== null ? ` port ${req.port}` : ""} (unknown host)`;
    return result;
  }
  const rule = hr.rules.find((r) => ruleMatches(r, req));
  let checked: WeightedBackend[] = [];
  if (!rule) {
    const what = hr.origins[0] ? `${hr.origins[0].resource.kind} ${hr.origins[0].resource.namespace ?? ns}/${hr.origins[0].resource.name}` : hr.host;
    result.noRoute = `no rule of ${what} matches the request (404)`;
    // Access still decides whether the host's own workloads would accept the caller.
    const svc = model.services.get(hr.host);
    if (svc) checked = [{ service: svc.fqdn, subset: null, port: null, weight: 100 }];
  } else {
    result.matchedBy = {
      source: hr.source,
      hostKey: hr.key,
      rule: rule.id,
      name: rule.name,
      resource: rule.origin.resource,
      file: rule.origin.file,
      line: rule.origin.line,
      path: rule.origin.path,
    };
    result.backends = rule.backends.map((b) => ({
      service: b.service,
      subset: b.subset,
      port: b.port,
      weight: b.weight,
      ...(b.unavailable ? { unavailable: b.unavailable } : {}),
    }));
    result.timeout = rule.policies.timeout;
    result.retries = rule.policies.retries;
    result.fault = rule.policies.fault;
    result.mirror = rule.policies.mirror;
    if (rule.backends.length === 0 && !rule.policies.redirect && !rule.policies.directResponse) {
      result.noRoute = "the matching rule has no backend with a non-zero weight (500)";
    }
    checked = rule.backends.filter((b) => b.weight > 0 && !b.unavailable);
  }

  for (const b of checked) {
    for (const dest of destinationsOf(model, b)) {
      const d = evaluateAccess(table.access, dest, req);
      if (!d.allowed && d.deniedBy) {
        result.allowed = false;
        result.deniedBy = {
          engine: d.deniedBy.engine,
          summary: d.reason ?? d.deniedBy.summary,
          resource: d.deniedBy.origin.resource,
          file: d.deniedBy.origin.file,
          line: d.deniedBy.origin.line,
        };
        return result;
      }
    }
  }
  return result;
}

/** Builds a TraceRequest from a path that may carry a query string (`/reviews?x=1`). */
export function requestFrom(input: {
  host: string;
  port?: number | null;
  path?: string;
  method?: string;
  scheme?: string;
  headers?: Record<string, string>;
  sourceLabels?: Record<string, string>;
  from?: { namespace: string; serviceAccount: string } | null;
  attachment?: string;
}): TraceRequest {
  const raw = input.path ?? "/";
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(raw.slice(q + 1))) if (!(k in query)) query[k] = v;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    host: input.host,
    port: input.port ?? null,
    path: path === "" ? "/" : path,
    query,
    method: (input.method ?? "GET").toUpperCase(),
    scheme: input.scheme ?? "http",
    headers,
    sourceLabels: input.sourceLabels ?? {},
    from: input.from ?? null,
    attachment: input.attachment ?? "mesh",
  };
}
