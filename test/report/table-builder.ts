/**
 * Concise routing tables for diff and report tests, written the way the
 * reports print them: `route("reviews v1 50, reviews v3 50")`.
 */
import type { Finding, Severity } from "../../src/findings.js";
import {
  emptyPolicies,
  type AccessRule,
  type EffectiveRule,
  type HostRoutes,
  type Origin,
  type Protocol,
  type RequestMatch,
  type RoutePolicies,
  type RoutingSource,
  type RoutingTable,
  type WeightedBackend,
} from "../../src/routing/types.js";

/** `reviews` -> `reviews.<namespace>.svc.cluster.local`; a name with a dot is kept. */
export function fqdn(name: string, namespace = "default"): string {
  return name.includes(".") ? name : `${name}.${namespace}.svc.cluster.local`;
}

/**
 * Backends from `service[:port] [subset] weight`, comma separated:
 * `"reviews v1 50, reviews v3 50"`, `"productpage:9080 100"`, `"bookstore-v2 25"`.
 */
export function route(spec: string, namespace = "default"): WeightedBackend[] {
  if (spec.trim() === "") return [];
  return spec.split(",").map((part) => {
    const words = part.trim().split(/\s+/);
    const weight = Number(words.pop());
    const [svc, port] = words[0]!.split(":");
    return { service: fqdn(svc!, namespace), subset: words[1] ?? null, port: port ? Number(port) : null, weight };
  });
}

export function origin(kind: string, name: string, path: string, namespace: string | null = "default", line = 1): Origin {
  return {
    resource: { apiVersion: apiVersionOf(kind), kind, namespace, name },
    file: `networking/${name}.yaml`,
    line,
    column: 5,
    path,
  };
}

function apiVersionOf(kind: string): string {
  if (kind === "TrafficSplit") return "split.smi-spec.io/v1alpha4";
  if (kind === "TrafficTarget") return "access.smi-spec.io/v1alpha3";
  if (kind === "Ingress") return "networking.k8s.io/v1";
  if (kind === "AuthorizationPolicy") return "security.istio.io/v1";
  return "networking.istio.io/v1";
}

export interface RuleSpec {
  name?: string;
  matches?: RequestMatch[];
  /** `route()` syntax. */
  to?: string;
  policies?: Partial<RoutePolicies>;
  /** Selector per backend index, to model DestinationRule subsets. */
  selectors?: Record<number, Record<string, string> | null>;
  /** Origin: resource name (default: the part of the id before `/`), line and field path. */
  resource?: string;
  line?: number;
  path?: string;
}

export function rule(id: string, spec: RuleSpec = {}, namespace = "default"): EffectiveRule {
  const backends = route(spec.to ?? "", namespace).map((b, i) =>
    spec.selectors && i in spec.selectors ? { ...b, selector: spec.selectors[i] ?? null } : b,
  );
  return {
    id,
    name: spec.name ?? null,
    matches: spec.matches ?? [],
    backends,
    policies: { ...emptyPolicies(), ...spec.policies },
    origin: origin("VirtualService", spec.resource ?? id.split("/")[0] ?? id, spec.path ?? "spec.http[0]", namespace, spec.line),
  };
}

export interface HostSpec {
  source?: RoutingSource;
  attachment?: string;
  port?: number | null;
  protocol?: Protocol;
  /** Kind of the resource that shapes the host (for origins). */
  kind?: string;
  namespace?: string;
  line?: number;
}

export function host(name: string, rules: EffectiveRule[], spec: HostSpec = {}): HostRoutes {
  const source = spec.source ?? "istio";
  const attachment = spec.attachment ?? "mesh";
  const port = spec.port ?? null;
  const protocol = spec.protocol ?? "http";
  const h = fqdn(name, spec.namespace);
  const short = h.split(".")[0]!;
  return {
    key: `${source}|${attachment}|${h}|${port ?? "*"}|${protocol}`,
    host: h,
    port,
    protocol,
    source,
    attachment,
    rules,
    origins: [origin(spec.kind ?? "VirtualService", short, "spec", spec.namespace ?? "default", spec.line)],
  };
}

export function table(hosts: HostRoutes[], access: AccessRule[] = [], smiPermissive = false): RoutingTable {
  return { hosts, access: { rules: access, smiPermissive } };
}

export const match = {
  header(name: string, value: string): RequestMatch {
    return { headers: [{ name, match: { type: "exact", value } }] };
  },
  prefix(value: string): RequestMatch {
    return { uri: { type: "prefix", value } };
  },
  exact(value: string): RequestMatch {
    return { uri: { type: "exact", value } };
  },
};

export interface AccessSpec {
  engine?: "istio" | "smi";
  action?: AccessRule["action"];
  namespace?: string | null;
  selector?: Record<string, string> | null;
  serviceAccount?: string | null;
  matchesNothing?: boolean;
  principals?: string[];
  direction?: "ingress" | "egress";
  line?: number;
}

export function access(id: string, summary: string, spec: AccessSpec = {}): AccessRule {
  const engine = spec.engine ?? "istio";
  return {
    id,
    engine,
    action: spec.action ?? "ALLOW",
    target: {
      namespace: spec.namespace === undefined ? "default" : spec.namespace,
      selector: spec.selector ?? null,
      serviceAccount: spec.serviceAccount ?? null,
    },
    from: spec.principals ? [{ principals: spec.principals }] : [],
    to: [],
    when: [],
    matchesNothing: spec.matchesNothing ?? false,
    summary,
    origin: origin(engine === "smi" ? "TrafficTarget" : "AuthorizationPolicy", id.split("/").pop()!, "spec", spec.namespace ?? "default", spec.line),
    ...(spec.direction ? { direction: spec.direction } : {}),
  };
}

export function finding(
  code: string,
  severity: Severity,
  message: string,
  at: { kind?: string; name?: string; file?: string; line?: number; path?: string | null } = {},
): Finding {
  const name = at.name ?? "reviews";
  return {
    code,
    severity,
    message,
    resource: { apiVersion: "networking.istio.io/v1", kind: at.kind ?? "VirtualService", namespace: "default", name },
    file: at.file ?? `networking/${name}.yaml`,
    line: at.line ?? 1,
    column: 3,
    path: at.path === undefined ? "spec" : at.path,
    equivalents: [],
  };
}
