/**
 * One VirtualService -> its routing for every (attachment, host, protocol).
 *
 * Istio API reference, VirtualService: hosts (short names resolve in the
 * VirtualService's namespace) are bound to the sidecars (`mesh`, the default
 * when `gateways` is empty) and/or to each named gateway. http routes are
 * evaluated in order and the first match wins; a route's match blocks are
 * ORed. A match block that names `gateways` only applies on those gateways:
 * pilot drops it from every other attachment, and drops the route when none
 * of its blocks is left. Delegate routes are inlined where their root route
 * stood (see merge-delegate-route.ts).
 */
import { formatPath } from "../../findings.js";
import type { HttpRoute, IstioDestination, VirtualService } from "../../manifests/schemas/istio.js";
import type { FieldPath, Resource } from "../../manifests/types.js";
import { resolveIstioHost } from "../../mesh/hosts.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { originOf } from "../engine.js";
import type { EffectiveRule, Origin, Protocol, RequestMatch, WeightedBackend } from "../types.js";
import { emptyPolicies } from "../types.js";
import type { BackendResolver } from "./backend-resolver.js";
import { httpMatch } from "./http-match.js";
import type { RouteReporter } from "./istio-route-codes.js";
import { istioRouteCodes, routeFinding } from "./istio-route-codes.js";
import { l4Match, tlsMatches } from "./l4-match.js";
import type { InheritedField } from "./merge-delegate-route.js";
import { mergeDelegateMatches, mergeDelegateRoute } from "./merge-delegate-route.js";
import { attachmentOf, resolveGatewayName } from "./resolve-gateway-name.js";
import { routePolicies } from "./route-policies.js";
import { weightShares } from "./weight-shares.js";

export const VIRTUAL_SERVICE: `${string}/${string}` = "networking.istio.io/VirtualService";

/** Where a rule (or an inherited field of it) is written. */
interface RouteSource {
  res: Resource;
  path: FieldPath;
  namespace: string;
}

interface ExpandedHttpRule {
  route: HttpRoute;
  matches: RequestMatch[];
  own: RouteSource;
  /** The root route a delegate route was merged into. */
  root: RouteSource | null;
  inherited: ReadonlySet<InheritedField>;
}

interface L4Rule {
  protocol: "tcp" | "tls";
  matches: RequestMatch[];
  destinations: { destination?: IstioDestination | undefined; weight?: number | undefined }[];
  own: RouteSource;
}

/** The rules one VirtualService contributes to one (attachment, host, protocol), before ids are assigned. */
export interface HostRoutesFragment {
  attachment: string;
  host: string;
  protocol: Protocol;
  rules: Omit<EffectiveRule, "id">[];
  origins: Origin[];
}

export interface VirtualServiceContext {
  model: MeshModel;
  resolver: BackendResolver;
  report: RouteReporter;
}

export function virtualServiceRoutes(vs: Typed<VirtualService>, ctx: VirtualServiceContext): HostRoutesFragment[] {
  const spec = vs.obj.spec ?? {};
  const namespace = vs.namespace ?? ctx.model.defaultNamespace;
  const hosts = spec.hosts ?? [];
  if (hosts.length === 0) return [];
  const { report } = ctx;

  const gateways = spec.gateways?.length ? spec.gateways : ["mesh"];
  const attachments = [...new Set(gateways.map((g) => attachmentOf(resolveGatewayName(g, namespace))))];

  const http = expandHttp(vs, namespace, ctx, report);
  const l4: L4Rule[] = [
    ...(spec.tcp ?? []).map((r, i) => ({
      protocol: "tcp" as const,
      matches: (r.match ?? []).map((m) => l4Match(m, namespace)),
      destinations: r.route ?? [],
      own: { res: vs.res, path: ["spec", "tcp", i], namespace },
    })),
    ...(spec.tls ?? []).map((r, i) => ({
      protocol: "tls" as const,
      matches: r.match.flatMap((m) => tlsMatches(m, namespace)),
      destinations: r.route ?? [],
      own: { res: vs.res, path: ["spec", "tls", i], namespace },
    })),
  ];
  // A VirtualService without tcp or tls routes still claims its hosts for HTTP: no rule, 404.
  const claimsHttp = (spec.http?.length ?? 0) > 0 || l4.length === 0;

  const out: HostRoutesFragment[] = [];
  for (const attachment of attachments) {
    const gateway = attachment === "mesh" ? "mesh" : attachment.slice("gateway:".length);
    const dependencies: Origin[] = [];
    const httpRules: Omit<EffectiveRule, "id">[] = [];
    for (const rule of http) {
      const matches = applicableMatches(rule.matches, gateway);
      if (!matches) continue;
      httpRules.push(httpRule(rule, matches, ctx, dependencies, report));
    }
    const l4Rules = { tcp: [] as Omit<EffectiveRule, "id">[], tls: [] as Omit<EffectiveRule, "id">[] };
    for (const rule of l4) {
      const matches = applicableMatches(rule.matches, gateway);
      if (!matches) continue;
      l4Rules[rule.protocol].push({
        name: null,
        matches,
        backends: weightedBackends(rule.destinations, rule.own, ctx, dependencies, report),
        policies: emptyPolicies(),
        origin: originOf(rule.own.res, rule.own.path),
      });
    }
    const seenHosts = new Set<string>();
    for (const [i, h] of hosts.entries()) {
      const host = resolveIstioHost(h, namespace, ctx.model.clusterDomain);
      if (seenHosts.has(host)) continue;
      seenHosts.add(host);
      const origins = dedupeOrigins([originOf(vs.res, ["spec", "hosts", i]), ...dependencies]);
      if (claimsHttp) out.push({ attachment, host, protocol: "http", rules: httpRules, origins });
      if (l4Rules.tcp.length) out.push({ attachment, host, protocol: "tcp", rules: l4Rules.tcp, origins });
      if (l4Rules.tls.length) out.push({ attachment, host, protocol: "tls", rules: l4Rules.tls, origins });
    }
  }
  return out;
}

/** Match blocks that apply on `gateway`; null when the rule has blocks and none applies there. */
function applicableMatches(matches: readonly RequestMatch[], gateway: string): RequestMatch[] | null {
  if (matches.length === 0) return [];
  const kept = matches.filter((m) => !m.gateways?.length || m.gateways.includes(gateway));
  return kept.length ? kept : null;
}

function exportedTo(exportTo: readonly string[] | undefined, ownNamespace: string, namespace: string): boolean {
  if (!exportTo?.length) return true;
  return exportTo.some((e) => e === "*" || e === namespace || (e === "." && ownNamespace === namespace));
}

function expandHttp(vs: Typed<VirtualService>, namespace: string, ctx: VirtualServiceContext, report: RouteReporter): ExpandedHttpRule[] {
  const out: ExpandedHttpRule[] = [];
  (vs.obj.spec?.http ?? []).forEach((route, i) => {
    const own: RouteSource = { res: vs.res, path: ["spec", "http", i], namespace };
    const matches = (route.match ?? []).map((m) => httpMatch(m, namespace));
    if (!route.delegate) {
      out.push({ route, matches, own, root: null, inherited: new Set() });
      return;
    }
    const delegateNs = route.delegate.namespace || namespace;
    const name = route.delegate.name ?? "";
    const delegate = name ? ctx.model.get<VirtualService>(VIRTUAL_SERVICE, delegateNs, name) : undefined;
    const delegatePath: FieldPath = [...own.path, "delegate"];
    if (!delegate || (delegate.obj.spec?.hosts?.length ?? 0) > 0) {
      report(
        vs.res,
        delegatePath,
        routeFinding(
          istioRouteCodes.delegateNotFound,
          delegate
            ? `VirtualService ${delegateNs}/${name} has hosts, so it is not a delegate; Istio drops this route`
            : `delegate VirtualService ${delegateNs}/${name} is not in the tree; Istio drops this route`,
          "A delegate VirtualService must exist and have no `hosts`.",
        ),
      );
      return;
    }
    if (!exportedTo(delegate.obj.spec?.exportTo, delegateNs, namespace)) {
      report(
        vs.res,
        delegatePath,
        routeFinding(
          istioRouteCodes.delegateNotFound,
          `delegate VirtualService ${delegateNs}/${name} is not exported to namespace ${namespace}; Istio drops this route`,
          `Add "${namespace}" to the delegate's exportTo.`,
        ),
      );
      return;
    }
    (delegate.obj.spec?.http ?? []).forEach((sub, j) => {
      const subOwn: RouteSource = { res: delegate.res, path: ["spec", "http", j], namespace: delegateNs };
      if (sub.delegate) {
        report(
          delegate.res,
          [...subOwn.path, "delegate"],
          routeFinding(istioRouteCodes.nestedDelegate, `VirtualService ${delegateNs}/${name} is a delegate and delegates again; Istio supports one level`),
        );
        return;
      }
      const subMatches = (sub.match ?? []).map((m) => httpMatch(m, delegateNs));
      const merged = mergeDelegateMatches(matches, subMatches);
      if (!merged) {
        report(
          delegate.res,
          [...subOwn.path, "match"],
          routeFinding(
            istioRouteCodes.delegateConflict,
            `this route's match is not within the match of root VirtualService ${namespace}/${vs.res.name} ` +
              `${formatPath(own.path)}; Istio ignores the route`,
          ),
        );
        return;
      }
      const { route: mergedRoute, inherited } = mergeDelegateRoute(route, sub);
      out.push({ route: mergedRoute, matches: merged, own: subOwn, root: own, inherited });
    });
  });
  return out;
}

function httpRule(
  rule: ExpandedHttpRule,
  matches: RequestMatch[],
  ctx: VirtualServiceContext,
  dependencies: Origin[],
  report: RouteReporter,
): Omit<EffectiveRule, "id"> {
  const { route, own } = rule;
  const sourceOf = (field: InheritedField): RouteSource => (rule.root && rule.inherited.has(field) ? rule.root : own);
  const policies = routePolicies(route, (dest, index) => {
    const s = sourceOf(index === null ? "mirror" : "mirrors");
    const path: FieldPath = index === null ? [...s.path, "mirror"] : [...s.path, "mirrors", index, "destination"];
    const r = ctx.resolver.resolve(s.res, path, dest, s.namespace);
    if (r.destinationRule) for (const dr of r.destinationRule.rules) dependencies.push(originOf(dr.res, ["spec", "host"]));
    return { service: r.service, subset: r.subset, port: r.port };
  });
  if (rule.root) dependencies.push(originOf(own.res, ["metadata", "name"]));
  // Istio: a redirect or a direct response answers the request itself; `route` is not used.
  const answersItself = policies.redirect !== null || policies.directResponse !== null;
  return {
    name: route.name ?? null,
    matches,
    backends: answersItself ? [] : weightedBackends(route.route ?? [], own, ctx, dependencies, report),
    policies,
    origin: originOf(own.res, own.path),
  };
}

function weightedBackends(
  destinations: readonly { destination?: IstioDestination | undefined; weight?: number | undefined }[],
  own: RouteSource,
  ctx: VirtualServiceContext,
  dependencies: Origin[],
  report: RouteReporter,
): WeightedBackend[] {
  const present = destinations.flatMap((d, k) => (d.destination ? [{ destination: d.destination, weight: d.weight, k }] : []));
  if (present.length === 0) return [];
  const shares = weightShares(present.map((d) => d.weight));
  const backends: WeightedBackend[] = [];
  present.forEach((d, idx) => {
    const r = ctx.resolver.resolve(own.res, [...own.path, "route", d.k, "destination"], d.destination, own.namespace);
    if (r.destinationRule) for (const dr of r.destinationRule.rules) dependencies.push(originOf(dr.res, ["spec", "host"]));
    const weight = shares[idx]!;
    if (weight > 0) backends.push({ service: r.service, subset: r.subset, port: r.port, weight, selector: r.selector });
  });
  if (backends.length === 0) {
    report(
      own.res,
      [...own.path, "route"],
      routeFinding(
        istioRouteCodes.noWeightedDestination,
        `none of the ${present.length} destinations has a positive weight, so this route sends requests nowhere`,
        "Give at least one destination a positive weight.",
      ),
    );
  }
  return backends;
}

export function dedupeOrigins(origins: readonly Origin[]): Origin[] {
  const seen = new Set<string>();
  return origins.filter((o) => {
    const key = `${o.file}|${o.resource.kind}|${o.resource.namespace}|${o.resource.name}|${o.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
