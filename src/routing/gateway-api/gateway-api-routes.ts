/**
 * Effective routing for Gateway API HTTPRoute and GRPCRoute
 * (gateway.networking.k8s.io v1), north-south through a Gateway and
 * east-west through a Service parent (GAMMA, GEP-1426).
 *
 * Every (rule, match) pair becomes its own EffectiveRule, and the rules of all
 * routes attached to the same parent, port and host are merged and sorted by
 * the spec's precedence (route-precedence.ts), so the table reads first-match.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type {
  Gateway,
  GRPCRoute,
  GRPCRouteMatch,
  HTTPRoute,
  HTTPRouteMatch,
  HTTPRouteRule,
  HeaderModifier,
  Listener,
  ParentReference,
} from "../../manifests/schemas/gateway-api.js";
import type { FieldPath, Resource } from "../../manifests/types.js";
import { hostMatches, serviceFqdn } from "../../mesh/hosts.js";
import type { Labels, MeshModel, Typed } from "../../mesh/types.js";
import type { EngineResult, RoutingEngine } from "../engine.js";
import { originOf } from "../engine.js";
import type {
  EffectiveRule,
  HeaderPolicy,
  HostRoutes,
  KeyedMatch,
  Origin,
  Protocol,
  RequestMatch,
  RoutePolicies,
  WeightedBackend,
} from "../types.js";
import { emptyPolicies } from "../types.js";
import { canonicalMatch } from "./canonical-match.js";
import { gatewayApiFindings, routingFinding } from "./gateway-api-findings.js";
import { hostnameIntersection } from "./hostname-intersection.js";
import type { RulePrecedence } from "./route-precedence.js";
import { comparePrecedence, grpcMatchKeys, httpMatchKeys } from "./route-precedence.js";
import type { ReferenceGrants } from "./reference-grants.js";
import { coreGroup, referenceGrants } from "./reference-grants.js";
import { percentShares } from "../weight-shares.js";

const GROUP = "gateway.networking.k8s.io";
const MCS_GROUP = "multicluster.x-k8s.io";
/** GEP-1748: a ServiceImport is reached at `name.namespace.svc.clusterset.local`. */
const CLUSTERSET_DOMAIN = "clusterset.local";

type RouteKind = "HTTPRoute" | "GRPCRoute";
type Spec = HTTPRoute["spec"] | GRPCRoute["spec"];
type AnyRule = NonNullable<Spec["rules"]>[number];
type AnyFilter = NonNullable<AnyRule["filters"]>[number];
type AnyBackendRef = NonNullable<AnyRule["backendRefs"]>[number];

/** Gateway-bound routes need a ReferenceGrant for cross-namespace backends; mesh routes do not (GEP-1426). */
type Bound = "gateway" | "mesh";

interface RouteInfo {
  kind: RouteKind;
  res: Resource;
  namespace: string;
  name: string;
  key: string;
  creationTimestamp: string | null;
  spec: Spec;
}

interface MatchEntry {
  route: RouteInfo;
  ruleIndex: number;
  matchIndex: number;
  ruleName: string | null;
  match: RequestMatch;
  matchKeys: number[];
  originPath: FieldPath;
}

interface RuleOutcome {
  backends: WeightedBackend[];
  policies: RoutePolicies;
}

interface Attachment {
  route: RouteInfo;
  attachment: string;
  protocol: Protocol;
  port: number | null;
  host: string;
  routeHostname: string;
  bound: Bound;
  /** GEP-1426 consumer route: only requests from this namespace use it. */
  consumerNamespace: string | null;
  listener: { gateway: Typed<Gateway>; index: number } | null;
  /** Where requests go when no producer route claims the Service (GAMMA: the Service itself). */
  service: { fqdn: string; selector: Labels | null; origin: Origin } | null;
}

export const gatewayApiRoutes: RoutingEngine = (model: MeshModel): EngineResult => {
  const ctx = new EngineContext(model);
  const routes = [
    ...model.list<HTTPRoute>(`${GROUP}/HTTPRoute`).map((t) => routeInfo("HTTPRoute", t, model)),
    ...model.list<GRPCRoute>(`${GROUP}/GRPCRoute`).map((t) => routeInfo("GRPCRoute", t, model)),
  ];
  const attachments = routes.flatMap((r) => ctx.attach(r));
  const hosts = ctx.tables(attachments);
  return { hosts, access: [], findings: dedupeFindings(ctx.findings) };
};

function routeInfo(kind: RouteKind, typed: Typed<HTTPRoute | GRPCRoute>, model: MeshModel): RouteInfo {
  const namespace = typed.namespace ?? model.defaultNamespace;
  const meta = typed.res.object["metadata"] as Record<string, unknown> | undefined;
  const ts = meta?.["creationTimestamp"];
  return {
    kind,
    res: typed.res,
    namespace,
    name: typed.res.name,
    key: `${namespace}/${typed.res.name}`,
    creationTimestamp: typeof ts === "string" && ts ? ts : null,
    spec: typed.obj.spec,
  };
}

class EngineContext {
  readonly findings: Finding[] = [];
  private readonly grants: ReferenceGrants;
  private readonly outcomes = new Map<string, RuleOutcome>();
  private readonly entries = new Map<RouteInfo, MatchEntry[]>();

  constructor(private readonly model: MeshModel) {
    this.grants = referenceGrants(model);
  }

  private report(res: Resource, path: FieldPath, entry: Parameters<typeof routingFinding>[0], message: string, hint?: string) {
    this.findings.push(findingAt(res, path, routingFinding(entry, message, hint)));
  }

  attach(route: RouteInfo): Attachment[] {
    const parents = route.spec.parentRefs ?? [];
    if (!parents.length) {
      this.report(
        route.res,
        ["spec"],
        gatewayApiFindings.noParentRefs,
        `${route.kind} ${route.key} has no parentRefs, so it is attached to nothing and routes no traffic.`,
        "Add a parentRef to a Gateway (north-south) or to a Service (mesh).",
      );
      return [];
    }
    const out: Attachment[] = [];
    parents.forEach((parent, i) => {
      const group = coreGroup(parent.group ?? GROUP);
      const kind = parent.kind ?? "Gateway";
      const path: FieldPath = ["spec", "parentRefs", i];
      if (group === GROUP && kind === "Gateway") out.push(...this.attachToGateway(route, parent, path));
      else if (group === "" && kind === "Service") out.push(...this.attachToService(route, parent, path));
      else if (group === MCS_GROUP && kind === "ServiceImport") out.push(...this.attachToServiceImport(route, parent));
      else
        this.report(
          route.res,
          path,
          gatewayApiFindings.unsupportedReference,
          `${route.kind} ${route.key} has a parentRef to ${kindLabel(group, kind)} ${parent.name}, which meshplan cannot route through.`,
        );
    });
    return out;
  }

  private attachToGateway(route: RouteInfo, parent: ParentReference, path: FieldPath): Attachment[] {
    const gwNamespace = parent.namespace ?? route.namespace;
    const gateway = this.model.get<Gateway>(`${GROUP}/Gateway`, gwNamespace, parent.name);
    if (!gateway) {
      this.report(
        route.res,
        path,
        gatewayApiFindings.parentNotFound,
        `${route.kind} ${route.key} is attached to Gateway ${gwNamespace}/${parent.name}, which is not in the tree.`,
      );
      return [];
    }
    const listeners = gateway.obj.spec.listeners
      .map((listener, index) => ({ listener, index }))
      .filter(({ listener }) => (parent.sectionName == null || listener.name === parent.sectionName) && (parent.port == null || listener.port === parent.port));
    const gwLabel = `Gateway ${gwNamespace}/${parent.name}`;
    if (!listeners.length) {
      const wanted = [parent.sectionName != null ? `named ${parent.sectionName}` : "", parent.port != null ? `on port ${parent.port}` : ""]
        .filter(Boolean)
        .join(" ");
      this.report(route.res, path, gatewayApiFindings.notAccepted, `${gwLabel} has no listener ${wanted}; ${route.kind} ${route.key} is not attached to it.`);
      return [];
    }
    const out: Attachment[] = [];
    const reasons: string[] = [];
    for (const { listener, index } of listeners) {
      const refused = this.listenerRefuses(listener, route, gwNamespace);
      if (refused) {
        reasons.push(`listener ${listener.name}: ${refused}`);
        continue;
      }
      const hostnames = route.spec.hostnames ?? [];
      const hosts = hostnames.length
        ? hostnames.flatMap((h) => {
            const host = hostnameIntersection(listener.hostname ?? null, h);
            return host ? [{ host, routeHostname: h.toLowerCase() }] : [];
          })
        : [{ host: listener.hostname?.toLowerCase() ?? "*", routeHostname: "" }];
      if (!hosts.length) {
        reasons.push(`listener ${listener.name}: no route hostname intersects the listener hostname ${listener.hostname}`);
        continue;
      }
      for (const { host, routeHostname } of hosts)
        out.push({
          route,
          attachment: `gateway:${gwNamespace}/${parent.name}`,
          protocol: route.kind === "GRPCRoute" ? "grpc" : "http",
          port: listener.port,
          host,
          routeHostname,
          bound: "gateway",
          consumerNamespace: null,
          listener: { gateway, index },
          service: null,
        });
    }
    if (!out.length)
      this.report(route.res, path, gatewayApiFindings.notAccepted, `${gwLabel} does not accept ${route.kind} ${route.key}: ${reasons.join("; ")}.`);
    return out;
  }

  /** Gateway API Listener.allowedRoutes: kinds (default: by protocol) and namespaces (default: Same). */
  private listenerRefuses(listener: Listener, route: RouteInfo, gwNamespace: string): string | null {
    const kinds = listener.allowedRoutes?.kinds;
    const kindAllowed = kinds?.length
      ? kinds.some((k) => (k.group ?? GROUP) === GROUP && k.kind === route.kind)
      : ["HTTP", "HTTPS"].includes(listener.protocol);
    if (!kindAllowed) return `${route.kind} is not an allowed route kind for protocol ${listener.protocol}`;
    const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
    if (from === "All") return null;
    if (from === "Same") return route.namespace === gwNamespace ? null : `only routes in namespace ${gwNamespace} may attach (allowedRoutes from: Same)`;
    if (from === "Selector") {
      const labels = this.model.namespaces.get(route.namespace)?.labels ?? {};
      return selectorMatches(listener.allowedRoutes?.namespaces?.selector ?? null, labels)
        ? null
        : `namespace ${route.namespace} does not match the allowedRoutes selector`;
    }
    return "no route may attach (allowedRoutes from: None)";
  }

  private attachToService(route: RouteInfo, parent: ParentReference, path: FieldPath): Attachment[] {
    const namespace = parent.namespace ?? route.namespace;
    const fqdn = serviceFqdn(parent.name, namespace, this.model.clusterDomain);
    const svc = this.model.services.get(fqdn);
    if (!svc) {
      this.report(route.res, path, gatewayApiFindings.parentNotFound, `${route.kind} ${route.key} is attached to Service ${namespace}/${parent.name}, which is not in the tree.`);
      return [];
    }
    // GEP-1426: without `port` the route applies to every port of the Service; sectionName names a Service port.
    let port = parent.port ?? null;
    if (port === null && parent.sectionName != null) {
      const named = svc.ports.find((p) => p.name === parent.sectionName);
      if (!named) {
        this.report(route.res, path, gatewayApiFindings.notAccepted, `Service ${namespace}/${parent.name} has no port named ${parent.sectionName}; ${route.kind} ${route.key} is not attached to it.`);
        return [];
      }
      port = named.port;
    }
    return [
      {
        route,
        attachment: "mesh",
        protocol: route.kind === "GRPCRoute" ? "grpc" : "http",
        port,
        host: fqdn,
        routeHostname: "",
        bound: "mesh",
        consumerNamespace: route.namespace === namespace ? null : route.namespace,
        listener: null,
        service: { fqdn, selector: svc.selector, origin: originOf(svc.res, []) },
      },
    ];
  }

  private attachToServiceImport(route: RouteInfo, parent: ParentReference): Attachment[] {
    const namespace = parent.namespace ?? route.namespace;
    const fqdn = `${parent.name}.${namespace}.svc.${CLUSTERSET_DOMAIN}`;
    return [
      {
        route,
        attachment: "mesh",
        protocol: route.kind === "GRPCRoute" ? "grpc" : "http",
        port: parent.port ?? null,
        host: fqdn,
        routeHostname: "",
        bound: "mesh",
        consumerNamespace: route.namespace === namespace ? null : route.namespace,
        listener: null,
        service: { fqdn, selector: null, origin: originOf(route.res, ["spec", "parentRefs"]) },
      },
    ];
  }

  /** Groups attachments into host tables: one per attachment, protocol, port and host. */
  tables(attachments: Attachment[]): HostRoutes[] {
    const groups = new Map<string, Attachment[]>();
    for (const a of this.dropConflictingMeshRoutes(attachments)) {
      const k = `${a.attachment}|${a.protocol}`;
      const list = groups.get(k);
      if (list) list.push(a);
      else groups.set(k, [a]);
    }
    const out: HostRoutes[] = [];
    for (const group of groups.values()) {
      const keys = new Map<string, { port: number | null; host: string }>();
      for (const a of group) keys.set(`${a.port ?? "*"}|${a.host}`, { port: a.port, host: a.host });
      for (const { port, host } of keys.values()) {
        const members = group.filter((a) => (a.port === null || a.port === port) && hostMatches(a.host, host) && this.sameListener(a, port, host));
        out.push(this.table(members, port, host));
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * A Gateway picks one listener per request (the one with the most specific
   * matching hostname on the port), and only routes attached to that listener
   * apply; routes on a catch-all listener do not serve a host another listener claims.
   */
  private sameListener(a: Attachment, port: number | null, host: string): boolean {
    if (!a.listener) return true;
    const chosen = selectListener(a.listener.gateway.obj.spec.listeners, port, host);
    return chosen === a.listener.index;
  }

  private table(members: Attachment[], port: number | null, host: string): HostRoutes {
    const first = members[0]!;
    const precedenceOf = (a: Attachment, e: MatchEntry): RulePrecedence => ({
      routeHostname: a.routeHostname,
      matchKeys: e.matchKeys,
      creationTimestamp: e.route.creationTimestamp,
      routeKey: e.route.key,
      ruleIndex: e.ruleIndex,
      matchIndex: e.matchIndex,
    });
    const collect = (list: Attachment[]) => {
      const best = new Map<string, { a: Attachment; e: MatchEntry; p: RulePrecedence }>();
      for (const a of list)
        for (const e of this.matchEntries(a.route)) {
          const id = `${e.route.kind}|${e.route.key}|${e.ruleIndex}|${e.matchIndex}`;
          const p = precedenceOf(a, e);
          const seen = best.get(id);
          if (!seen || comparePrecedence(p, seen.p) < 0) best.set(id, { a, e, p });
        }
      return [...best.values()].sort((x, y) => comparePrecedence(x.p, y.p));
    };

    const rules: EffectiveRule[] = [];
    const owners: string[] = [];
    const toRule = (a: Attachment, e: MatchEntry, extra: Partial<RequestMatch>): EffectiveRule => {
      const outcome = this.outcome(e.route, e.ruleIndex, a.bound);
      return {
        id: "",
        name: e.ruleName,
        matches: [{ ...e.match, ...extra }],
        backends: outcome.backends,
        policies: outcome.policies,
        origin: originOf(e.route.res, e.originPath),
      };
    };

    // GEP-1426 "Multiple routes for a Service": requests from a namespace with
    // consumer routes use only those routes; requests from elsewhere use the producer routes.
    const consumerNamespaces = [...new Set(members.map((a) => a.consumerNamespace).filter((n): n is string => n !== null))].sort();
    for (const ns of consumerNamespaces)
      for (const { a, e } of collect(members.filter((m) => m.consumerNamespace === ns))) {
        rules.push(toRule(a, e, { sourceNamespace: ns }));
        owners.push(e.route.key);
      }
    for (const ns of consumerNamespaces) {
      const owner = members.find((m) => m.consumerNamespace === ns)!;
      owners.push(owner.route.key);
      rules.push({
        id: "",
        name: null,
        matches: [{ sourceNamespace: ns }],
        backends: [],
        policies: { ...emptyPolicies(), directResponse: { status: 404, body: null } },
        origin: originOf(owner.route.res, ["spec", "parentRefs"]),
      });
    }
    const producers = members.filter((m) => m.consumerNamespace === null);
    for (const { a, e } of collect(producers)) {
      rules.push(toRule(a, e, {}));
      owners.push(e.route.key);
    }
    if (!producers.length && first.service) {
      owners.push(first.service.fqdn);
      rules.push({
        id: "",
        name: null,
        matches: [],
        backends: [{ service: first.service.fqdn, subset: null, port, weight: 100, selector: first.service.selector }],
        policies: emptyPolicies(),
        origin: first.service.origin,
      });
    }
    assignIds(rules, owners);

    const origins = new Map<string, Origin>();
    for (const a of members) {
      if (a.listener) origins.set(`gw|${a.attachment}|${a.listener.index}`, originOf(a.listener.gateway.res, ["spec", "listeners", a.listener.index]));
      origins.set(`route|${a.route.kind}|${a.route.key}`, originOf(a.route.res, []));
    }
    return {
      key: `gateway-api|${first.attachment}|${host}|${port ?? "*"}|${first.protocol}`,
      host,
      port,
      protocol: first.protocol,
      source: "gateway-api",
      attachment: first.attachment,
      rules,
      origins: [...origins.values()],
    };
  }

  /**
   * GEP-1426 route types: when routes of different types bind to the same
   * Service and port, only the most specific type applies (GRPCRoute over HTTPRoute).
   */
  private dropConflictingMeshRoutes(attachments: Attachment[]): Attachment[] {
    const grpc = new Set(attachments.filter((a) => a.bound === "mesh" && a.protocol === "grpc").map((a) => `${a.host}|${a.port ?? "*"}`));
    return attachments.filter((a) => {
      if (a.bound !== "mesh" || a.protocol !== "http" || !grpc.has(`${a.host}|${a.port ?? "*"}`)) return true;
      this.report(
        a.route.res,
        ["spec", "parentRefs"],
        gatewayApiFindings.notAccepted,
        `${a.route.kind} ${a.route.key} is ignored for ${a.host} port ${a.port ?? "*"}: a GRPCRoute binds the same Service and port, and GRPCRoute takes precedence (GEP-1426).`,
      );
      return false;
    });
  }

  private matchEntries(route: RouteInfo): MatchEntry[] {
    const cached = this.entries.get(route);
    if (cached) return cached;
    const out: MatchEntry[] = [];
    const rules = route.spec.rules;
    if (!rules?.length) {
      // CRD default: one rule matching every request, with no backends (HTTP 500).
      out.push({ route, ruleIndex: 0, matchIndex: 0, ruleName: null, ...this.defaultMatch(route.kind), originPath: ["spec"] });
    } else {
      rules.forEach((rule, ri) => {
        const matches = (rule.matches ?? []) as (HTTPRouteMatch | GRPCRouteMatch)[];
        const ruleName = rule.name ?? null;
        if (!matches.length) {
          out.push({ route, ruleIndex: ri, matchIndex: 0, ruleName, ...this.defaultMatch(route.kind), originPath: ["spec", "rules", ri] });
          return;
        }
        matches.forEach((m, mi) => {
          const converted = route.kind === "GRPCRoute" ? grpcMatch(m as GRPCRouteMatch) : httpMatch(m as HTTPRouteMatch);
          out.push({ route, ruleIndex: ri, matchIndex: mi, ruleName, ...converted, originPath: ["spec", "rules", ri, "matches", mi] });
        });
      });
    }
    this.entries.set(route, out);
    return out;
  }

  /** HTTPRoute: a rule without matches is a PathPrefix `/` match; GRPCRoute: it matches every gRPC request. */
  private defaultMatch(kind: RouteKind): { match: RequestMatch; matchKeys: number[] } {
    return kind === "GRPCRoute" ? grpcMatch({}) : httpMatch(null);
  }

  private outcome(route: RouteInfo, ruleIndex: number, bound: Bound): RuleOutcome {
    const cacheKey = `${route.kind}|${route.key}|${ruleIndex}|${bound}`;
    const cached = this.outcomes.get(cacheKey);
    if (cached) return cached;
    const rule: AnyRule | undefined = route.spec.rules?.[ruleIndex];
    const rulePath: FieldPath = ["spec", "rules", ruleIndex];
    const refs: AnyBackendRef[] = rule?.backendRefs ?? [];
    // apis/v1 BackendRef.weight defaults to 1; an invalid backend keeps its share,
    // which the data plane answers with HTTP 500, so shares are taken over every ref
    // and the invalid one stays in the table marked `unavailable`.
    const shares = percentShares(refs.map((r) => r.weight ?? 1));
    const backends: WeightedBackend[] = [];
    refs.forEach((ref, bi) => {
      const resolved = this.resolveRef(route, ref, [...rulePath, "backendRefs", bi], bound);
      const weight = shares[bi] ?? 0;
      if (weight <= 0) return;
      const b: WeightedBackend = { service: resolved.service, subset: null, port: ref.port ?? null, weight, selector: resolved.selector };
      if (resolved.unavailable) b.unavailable = resolved.unavailable;
      backends.push(b);
    });
    // Every share is an error: nothing routes (the spec's HTTP 500 for the whole rule).
    if (backends.every((b) => b.unavailable)) backends.length = 0;
    const policies = this.policies(route, rule, rulePath, bound);
    const outcome = { backends: policies.redirect ? [] : backends, policies };
    this.outcomes.set(cacheKey, outcome);
    return outcome;
  }

  private resolveRef(
    route: RouteInfo,
    ref: { group?: string | null; kind?: string | null; name: string; namespace?: string | null },
    path: FieldPath,
    bound: Bound,
  ): { service: string; selector: Labels | null; unavailable?: string } {
    const group = coreGroup(ref.group);
    const kind = ref.kind ?? "Service";
    const namespace = ref.namespace ?? route.namespace;
    let target: { service: string; selector: Labels | null };
    if (group === "" && kind === "Service") {
      const fqdn = serviceFqdn(ref.name, namespace, this.model.clusterDomain);
      const svc = this.model.services.get(fqdn);
      // A Service missing from the tree may still exist in the cluster (applied from elsewhere): the
      // table keeps the route's intent and the finding says that, if it is missing there too, its share gets HTTP 500.
      if (!svc)
        this.report(
          route.res,
          path,
          gatewayApiFindings.backendNotFound,
          `${route.kind} ${route.key} sends traffic to Service ${namespace}/${ref.name}, which is not in the tree; if it does not exist in the cluster either, those requests get HTTP 500.`,
        );
      target = { service: fqdn, selector: svc?.selector ?? null };
    } else if (group === MCS_GROUP && kind === "ServiceImport") {
      target = { service: `${ref.name}.${namespace}.svc.${CLUSTERSET_DOMAIN}`, selector: null };
    } else {
      this.report(
        route.res,
        path,
        gatewayApiFindings.unsupportedReference,
        `${route.kind} ${route.key} sends traffic to ${kindLabel(group, kind)} ${namespace}/${ref.name}; how it is served is implementation-specific, so meshplan cannot follow that share.`,
      );
      return {
        service: `${ref.name}.${namespace}`,
        selector: null,
        unavailable: `${kindLabel(group, kind)} backends are implementation-specific`,
      };
    }
    if (
      bound === "gateway" &&
      !this.grants.allows({
        from: { group: GROUP, kind: route.kind, namespace: route.namespace },
        to: { group, kind, namespace, name: ref.name },
      })
    ) {
      this.report(
        route.res,
        path,
        gatewayApiFindings.crossNamespaceNotGranted,
        `${route.kind} ${route.key} refers to ${kind} ${namespace}/${ref.name} in another namespace, and no ReferenceGrant in ${namespace} allows it; those requests get HTTP 500.`,
        `Add a ReferenceGrant in namespace ${namespace} from ${route.kind} in ${route.namespace} to ${kind}${group ? `.${group}` : ""} ${ref.name}.`,
      );
      return { ...target, unavailable: `no ReferenceGrant in ${namespace} permits this reference (HTTP 500)` };
    }
    return target;
  }

  private policies(route: RouteInfo, rule: AnyRule | undefined, rulePath: FieldPath, bound: Bound): RoutePolicies {
    const p = emptyPolicies();
    const headers: HeaderPolicy = {};
    (rule?.filters ?? []).forEach((f: AnyFilter, fi) => {
      switch (f.type) {
        case "RequestHeaderModifier":
          if (f.requestHeaderModifier) headers.request = headerChanges(f.requestHeaderModifier);
          break;
        case "ResponseHeaderModifier":
          if (f.responseHeaderModifier) headers.response = headerChanges(f.responseHeaderModifier);
          break;
        case "RequestMirror": {
          const mirror = f.requestMirror;
          if (!mirror) break;
          const resolved = this.resolveRef(route, mirror.backendRef, [...rulePath, "filters", fi, "requestMirror", "backendRef"], bound);
          if (!resolved) break;
          // HTTPRequestMirrorFilter: percent, or fraction numerator/denominator (default 100); neither means 100%.
          const percentage =
            mirror.percent ?? (mirror.fraction ? (mirror.fraction.numerator / (mirror.fraction.denominator ?? 100)) * 100 : 100);
          p.mirror.push({ service: resolved.service, subset: null, port: mirror.backendRef.port ?? null, percentage });
          break;
        }
        case "RequestRedirect": {
          const r = "requestRedirect" in f ? f.requestRedirect : null;
          if (!r) break;
          const uri = r.path?.type === "ReplaceFullPath" ? r.path.replaceFullPath : r.path?.replacePrefixMatch;
          p.redirect = {
            statusCode: r.statusCode ?? 302,
            ...(r.scheme ? { scheme: r.scheme } : {}),
            ...(r.hostname ? { authority: r.hostname } : {}),
            ...(r.port != null ? { port: r.port } : {}),
            ...(uri != null ? { uri } : {}),
          };
          break;
        }
        case "URLRewrite": {
          const r = "urlRewrite" in f ? f.urlRewrite : null;
          if (!r) break;
          // ReplacePrefixMatch replaces the matched PathPrefix, as RewritePolicy.uri does for a prefix match.
          const uri = r.path?.type === "ReplaceFullPath" ? r.path.replaceFullPath : r.path?.replacePrefixMatch;
          p.rewrite = { ...(uri != null ? { uri } : {}), ...(r.hostname ? { authority: r.hostname } : {}) };
          break;
        }
        default:
          break;
      }
    });
    if (headers.request || headers.response) p.headers = headers;
    // GRPCRoute has no timeouts or retry in the standard channel.
    const httpRule = route.kind === "HTTPRoute" ? (rule as HTTPRouteRule | undefined) : undefined;
    if (httpRule?.timeouts?.request != null) p.timeout = httpRule.timeouts.request;
    if (httpRule?.retry?.attempts != null)
      p.retries = {
        attempts: httpRule.retry.attempts,
        perTryTimeout: httpRule.timeouts?.backendRequest ?? null,
        retryOn: httpRule.retry.codes?.length ? httpRule.retry.codes.join(",") : null,
      };
    return p;
  }
}

/** HTTPRouteMatch -> RequestMatch. A missing path is PathPrefix `/`; only the first entry per header/param name counts. */
function httpMatch(m: HTTPRouteMatch | null): { match: RequestMatch; matchKeys: number[] } {
  const type = m?.path?.type ?? "PathPrefix";
  const value = m?.path?.value ?? "/";
  const match: RequestMatch = {
    uri: type === "Exact" ? { type: "exact", value } : type === "RegularExpression" ? { type: "regex", value } : { type: "pathPrefix", value },
  };
  if (m?.method) match.method = { type: "exact", value: m.method };
  const headers = keyedMatches(m?.headers, true);
  if (headers.length) match.headers = headers;
  const query = keyedMatches(m?.queryParams, false);
  if (query.length) match.queryParams = query;
  return { match, matchKeys: httpMatchKeys(match) };
}

/**
 * GRPCRouteMatch -> RequestMatch on the HTTP/2 path `/service/method`
 * (gRPC over HTTP/2: every call is a POST to that path). A method match
 * with only a service matches every method of it; with only a method,
 * that method of any service.
 */
function grpcMatch(m: GRPCRouteMatch): { match: RequestMatch; matchKeys: number[] } {
  const service = m.method?.service || null;
  const method = m.method?.method || null;
  const match: RequestMatch = {};
  if (service || method) {
    if ((m.method?.type ?? "Exact") === "Exact") {
      if (service && method) match.uri = { type: "exact", value: `/${service}/${method}` };
      else if (service) match.uri = { type: "prefix", value: `/${service}/` };
      else match.uri = { type: "regex", value: `/[^/]+/${escapeRegex(method!)}` };
    } else {
      match.uri = { type: "regex", value: `/${service ? `(?:${service})` : "[^/]+"}/${method ? `(?:${method})` : "[^/]+"}` };
    }
    match.method = { type: "exact", value: "POST" };
  }
  const headers = keyedMatches(m.headers, true);
  if (headers.length) match.headers = headers;
  return { match, matchKeys: grpcMatchKeys(service, method, headers.length) };
}

function keyedMatches(
  list: readonly { type?: string | null; name: string; value: string }[] | null | undefined,
  caseInsensitiveNames: boolean,
): KeyedMatch[] {
  const seen = new Set<string>();
  const out: KeyedMatch[] = [];
  for (const h of list ?? []) {
    const name = caseInsensitiveNames ? h.name.toLowerCase() : h.name;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, match: h.type === "RegularExpression" ? { type: "regex", value: h.value } : { type: "exact", value: h.value } });
  }
  return out;
}

function headerChanges(m: HeaderModifier): NonNullable<HeaderPolicy["request"]> {
  const out: NonNullable<HeaderPolicy["request"]> = {};
  const toRecord = (list: readonly { name: string; value: string }[]) => {
    const rec: Record<string, string> = {};
    for (const h of list) if (!(h.name in rec)) rec[h.name] = h.value;
    return rec;
  };
  if (m.set?.length) out.set = toRecord(m.set);
  if (m.add?.length) out.add = toRecord(m.add);
  if (m.remove?.length) out.remove = [...m.remove];
  return out;
}

/** The listener a request to `host` on `port` is served by: the most specific hostname wins, exact before wildcard. */
function selectListener(listeners: readonly Listener[], port: number | null, host: string): number | null {
  let best: number | null = null;
  let bestRank: [number, number] = [-1, -1];
  for (const [index, l] of listeners.entries()) {
    if (port !== null && l.port !== port) continue;
    const pattern = l.hostname?.toLowerCase() ?? "*";
    if (!hostMatches(pattern, host)) continue;
    const rank: [number, number] = [pattern === "*" ? 0 : pattern.startsWith("*.") ? 1 : 2, pattern.length];
    if (rank[0] > bestRank[0] || (rank[0] === bestRank[0] && rank[1] > bestRank[1])) {
      best = index;
      bestRank = rank;
    }
  }
  return best;
}

function selectorMatches(
  selector: { matchLabels?: Record<string, string> | null; matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | null }[] | null } | null,
  labels: Labels,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    if (e.operator === "In" && !(has && values.includes(labels[e.key]!))) return false;
    if (e.operator === "NotIn" && has && values.includes(labels[e.key]!)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** Ids from the rule name and match; a clash within the host adds the owning route, then a counter. */
export function assignIds(rules: EffectiveRule[], owners: readonly string[]): void {
  const base = rules.map((r) => `${r.name ? `${r.name}: ` : ""}${r.matches.length ? r.matches.map(canonicalMatch).join(" | ") : "*"}`);
  const counts = new Map<string, number>();
  for (const b of base) counts.set(b, (counts.get(b) ?? 0) + 1);
  const used = new Set<string>();
  rules.forEach((r, i) => {
    let id = base[i]!;
    if ((counts.get(id) ?? 0) > 1) id = `${id} @${owners[i] ?? r.origin.resource.name}`;
    let candidate = id;
    for (let n = 2; used.has(candidate); n++) candidate = `${id} #${n}`;
    used.add(candidate);
    r.id = candidate;
  });
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

function kindLabel(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}|${f.file}|${f.line}|${f.column}|${f.path}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
