/**
 * The effective routing table (DESIGN.md, "Routing semantics"): for each host,
 * ordered rules (first match wins) -> weighted backends + policies, plus the
 * access rules that decide who may call what. Every engine (Istio, SMI, Gateway
 * API, Ingress) produces these same values, so trace, diff and the reports
 * work on all of them alike. Pure data: JSON-serialisable.
 */
import type { ObjectRef } from "../manifests/types.js";
import type { Labels } from "../mesh/types.js";

/** Where a piece of routing came from. */
export interface Origin {
  resource: ObjectRef;
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. `spec.http[1]`. */
  path: string;
}

/**
 * How a string is compared.
 * - `exact`: equal.
 * - `prefix`: plain string prefix (Istio `prefix`, nginx).
 * - `pathPrefix`: whole path elements (Gateway API `PathPrefix`, Ingress `Prefix`):
 *   `/api/order` matches `/api/order` and `/api/order/x` but not `/api/orders`; a trailing `/` in the value is ignored.
 * - `regex`: RE2, must match the whole value.
 * - `present`: the header/param exists, any value.
 */
export type StringMatch =
  | { type: "exact"; value: string }
  | { type: "prefix"; value: string }
  | { type: "pathPrefix"; value: string }
  | { type: "regex"; value: string }
  | { type: "present" };

export interface KeyedMatch {
  /** Header names are compared case-insensitively; store them lower-cased. Query parameter names are case-sensitive. */
  name: string;
  match: StringMatch;
  /** Istio `withoutHeaders` / `invert`: the match succeeds when the condition does NOT hold. */
  invert?: boolean;
}

/** One match block: every condition present must hold (AND). */
export interface RequestMatch {
  uri?: StringMatch;
  method?: StringMatch;
  scheme?: StringMatch;
  authority?: StringMatch;
  headers?: KeyedMatch[];
  queryParams?: KeyedMatch[];
  /** Destination port the request was sent to. */
  port?: number;
  /** Istio `sourceLabels`: the calling workload has all these labels. */
  sourceLabels?: Labels;
  /** Istio `sourceNamespace`. */
  sourceNamespace?: string;
  /** Istio `gateways` ("mesh" or "ns/name"), Gateway API parent, or an ingress class. */
  gateways?: string[];
  /** Istio `ignoreUriCase`. */
  ignoreUriCase?: boolean;
}

export interface WeightedBackend {
  /** Fully qualified host, e.g. `reviews.default.svc.cluster.local`. */
  service: string;
  subset: string | null;
  port: number | null;
  /** Percentage of this rule's traffic, 0..100; the weights of a routing rule sum to 100. */
  weight: number;
  /** The pod label selector the subset resolves to (service selector + subset labels), when known. */
  selector?: Labels | null;
  /**
   * Set when the data plane cannot send this share anywhere and answers it
   * with an error instead (Gateway API: a backendRef that is not permitted or
   * not supported gets HTTP 500 for its share). The reason, in words.
   */
  unavailable?: string;
}

export interface RetryPolicy {
  attempts: number;
  perTryTimeout: string | null;
  retryOn: string | null;
}

export interface FaultPolicy {
  delay: { fixedDelay: string; percentage: number } | null;
  abort: { httpStatus: number | null; grpcStatus: string | null; percentage: number } | null;
}

export interface MirrorPolicy {
  service: string;
  subset: string | null;
  port: number | null;
  /** Share of requests mirrored, 0..100. */
  percentage: number;
}

export interface RewritePolicy {
  uri?: string;
  /** Gateway API ReplacePrefixMatch / Istio prefix rewrite semantics are the same: the matched prefix is replaced. */
  uriRegex?: { match: string; rewrite: string };
  authority?: string;
}

export interface RedirectPolicy {
  uri?: string;
  authority?: string;
  scheme?: string;
  port?: number;
  statusCode: number;
}

export interface HeaderPolicy {
  request?: { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] };
  response?: { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] };
}

export interface RoutePolicies {
  timeout: string | null;
  retries: RetryPolicy | null;
  fault: FaultPolicy | null;
  mirror: MirrorPolicy[];
  rewrite: RewritePolicy | null;
  redirect: RedirectPolicy | null;
  directResponse: { status: number; body: string | null } | null;
  headers: HeaderPolicy | null;
}

export interface EffectiveRule {
  /**
   * Stable identity of the rule inside its host, derived from its matches (and
   * route name when set), never from its list index, so a reorder diffs as a reorder.
   */
  id: string;
  /** Istio route `name`, Gateway API rule `name`, when set. */
  name: string | null;
  /** OR of match blocks; an empty list matches every request. */
  matches: RequestMatch[];
  /** Sum of weights is 100 when non-empty. Empty when the rule redirects, answers directly, or all weights are 0 (500/503). */
  backends: WeightedBackend[];
  policies: RoutePolicies;
  origin: Origin;
}

export type RoutingSource = "istio" | "smi" | "gateway-api" | "ingress" | "service";

export type Protocol = "http" | "grpc" | "tcp" | "tls";

export interface HostRoutes {
  /** Unique within a table, stable across revisions: `${source}|${attachment}|${host}|${port ?? "*"}|${protocol}`. */
  key: string;
  /** The host requests are addressed to: a mesh FQDN or an ingress hostname (may be a wildcard `*.example.com`, or `*`). */
  host: string;
  /** null: all ports. */
  port: number | null;
  protocol: Protocol;
  source: RoutingSource;
  /**
   * `mesh` for east-west traffic (sidecars, GAMMA, SMI); `gateway:ns/name` for
   * an Istio or Gateway API gateway; `ingress:class` for an Ingress controller.
   */
  attachment: string;
  /** Ordered: the first rule that matches a request wins. Gateway API routes are already sorted by spec precedence. */
  rules: EffectiveRule[];
  /** Resources that shaped this host (VirtualService, DestinationRule, TrafficSplit, ...). */
  origins: Origin[];
}

/** Who calls: identity of the source workload. */
export interface CallerIdentity {
  namespace: string;
  serviceAccount: string;
}

export interface AccessSource {
  /** Principals as `cluster.local/ns/NS/sa/SA`; `*`, prefix `x*` and suffix `*x` wildcards as in Istio. */
  principals?: string[];
  notPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  /**
   * Source conditions a traced request carries nothing to test against
   * (Istio `ipBlocks`, `remoteIpBlocks`, `requestPrincipals` and their `not*`
   * forms): such a source cannot be shown to match, so trace treats it as not matching.
   */
  unevaluated?: string[];
}

export interface AccessOperation {
  methods?: string[];
  notMethods?: string[];
  /** Istio path patterns (exact, `prefix*`, `*suffix`, `*`). */
  paths?: string[];
  notPaths?: string[];
  ports?: number[];
  notPorts?: number[];
  hosts?: string[];
  notHosts?: string[];
  /** SMI HTTPRouteGroup matches (pathRegex, methods, headers) already turned into request matches. */
  matches?: RequestMatch[];
}

export interface AccessCondition {
  key: string;
  values?: string[];
  notValues?: string[];
}

export interface AccessRule {
  /** Stable identity: engine, resource and rule position-independent content. */
  id: string;
  engine: "istio" | "smi";
  action: "ALLOW" | "DENY" | "CUSTOM" | "AUDIT";
  /** Workloads the rule protects. namespace null = mesh-wide (Istio root namespace). */
  target: {
    namespace: string | null;
    selector: Labels | null;
    /** SMI: destination service account. */
    serviceAccount: string | null;
  };
  /** OR of sources (each AND inside); empty = any source. */
  from: AccessSource[];
  /** OR of operations; empty = any operation. */
  to: AccessOperation[];
  /** AND of conditions (Istio `when`). */
  when: AccessCondition[];
  /**
   * Istio: an ALLOW policy with no rules allows nothing; a DENY with no rules denies nothing.
   * true when the policy has a `rules` list that is empty or absent in that sense.
   */
  matchesNothing: boolean;
  /** One line for people: "allow bookbuyer -> bookstore GET /books*". */
  summary: string;
  origin: Origin;
  /**
   * North-south rules (OSM): `ingress` governs only requests entering the mesh from an
   * ingress controller (IngressBackend), `egress` only calls leaving the mesh to the hosts
   * and ports in `to` (Egress; its target protects no mesh workload). Absent for rules
   * about traffic between mesh workloads.
   */
  direction?: "ingress" | "egress";
}

export interface AccessTable {
  rules: AccessRule[];
  /** OSM MeshConfig `spec.traffic.enablePermissiveTrafficPolicyMode`: SMI rules are not enforced. */
  smiPermissive: boolean;
}

export interface RoutingTable {
  hosts: HostRoutes[];
  access: AccessTable;
}

export function emptyPolicies(): RoutePolicies {
  return { timeout: null, retries: null, fault: null, mirror: [], rewrite: null, redirect: null, directResponse: null, headers: null };
}
