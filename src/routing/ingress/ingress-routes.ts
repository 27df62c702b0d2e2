/**
 * Effective routing for Kubernetes Ingress (networking.k8s.io/v1, and the
 * removed v1beta1 shapes mapped the same way), as ingress-nginx serves it,
 * including its canary annotations (nginx-canary.ts).
 *
 * One table per ingress class and host (`ingress:<class>`, host `*` when a
 * rule names none). Ingresses of the same class and host are merged into one
 * server, oldest first, as ingress-nginx does; a later duplicate of a
 * host/path/pathType is ignored.
 *
 * Order inside a host (Ingress spec, "Multiple matches": the longest matching
 * path wins, Exact over Prefix on a tie; nginx: `=` locations, then the
 * longest prefix location): Exact paths first, then prefix paths by length,
 * longest first. When any Ingress on the host uses
 * `nginx.ingress.kubernetes.io/use-regex: "true"` (or a rewrite-target that
 * differs from the path), ingress-nginx writes every location of that host as a
 * case-insensitive regex anchored at the start (`location ~* "^<path>"`),
 * tried longest path first (ingress-nginx docs, "Ingress Path Matching").
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { Ingress, IngressBackend, IngressClass, LegacyIngress, LegacyIngressBackend } from "../../manifests/schemas/ingress.js";
import type { FieldPath, Resource } from "../../manifests/types.js";
import { serviceFqdn } from "../../mesh/hosts.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import type { EngineResult, RoutingEngine } from "../engine.js";
import { originOf } from "../engine.js";
import type { EffectiveRule, HostRoutes, Origin, RequestMatch, StringMatch, WeightedBackend } from "../types.js";
import { emptyPolicies } from "../types.js";
import { routingFinding } from "../gateway-api/gateway-api-findings.js";
import type { RoutingCode } from "../gateway-api/gateway-api-findings.js";
import { assignIds } from "../gateway-api/gateway-api-routes.js";
import { ingressFindings } from "./ingress-findings.js";
import type { NginxCanary } from "./nginx-canary.js";
import { canaryRules, nginxCanary } from "./nginx-canary.js";

const NGINX = "nginx.ingress.kubernetes.io/";
const NGINX_CONTROLLER = "k8s.io/ingress-nginx";
/** The class annotation that predates spec.ingressClassName (deprecated, still honoured). */
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";
const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

type PathType = "Exact" | "Prefix" | "ImplementationSpecific";

interface IngressInfo {
  res: Resource;
  namespace: string;
  key: string;
  creationTimestamp: string | null;
  className: string;
  /** Served by ingress-nginx: its annotations apply. */
  nginx: boolean;
  canary: NginxCanary | null;
  useRegex: boolean;
  rewriteTarget: string | null;
  rules: { host: string | null; paths: { path: string; pathType: PathType; backend: RawBackend; originPath: FieldPath }[] }[];
  defaultBackend: { backend: RawBackend; originPath: FieldPath } | null;
}

type RawBackend =
  | { kind: "service"; name: string; port: number | string | null; portPath: FieldPath }
  | { kind: "resource"; label: string };

interface Location {
  ingress: IngressInfo;
  path: string;
  pathType: PathType;
  backend: RawBackend;
  originPath: FieldPath;
  canary: { ingress: IngressInfo; backend: RawBackend; originPath: FieldPath } | null;
}

interface Server {
  className: string;
  host: string;
  /** The Ingress that created the server: its defaultBackend serves the root location. */
  owner: IngressInfo | null;
  locations: Location[];
  catchAll: { ingress: IngressInfo; backend: RawBackend; originPath: FieldPath } | null;
  catchAllCanary: { ingress: IngressInfo; backend: RawBackend; originPath: FieldPath } | null;
}

export const ingressRoutes: RoutingEngine = (model: MeshModel): EngineResult => {
  const findings: Finding[] = [];
  const classes = model.list<IngressClass>("networking.k8s.io/IngressClass");
  const defaultClass = classes.filter((c) => c.res.annotations[DEFAULT_CLASS_ANNOTATION] === "true");
  const ingresses = [
    ...model.list<Ingress>("networking.k8s.io/Ingress").map((t) =>
      t.res.version === "v1" ? fromV1(t as Typed<Ingress>, model) : fromLegacy(t as unknown as Typed<LegacyIngress>, model),
    ),
    ...model.list<LegacyIngress>("extensions/Ingress").map((t) => fromLegacy(t, model)),
  ]
    .map((partial) => {
      const className = partial.className ?? (defaultClass.length === 1 ? defaultClass[0]!.res.name : "default");
      const ic = classes.find((c) => c.res.name === className);
      // Without an IngressClass in the tree, the nginx annotations are taken to be meant for ingress-nginx.
      const nginx = ic ? ic.obj.spec.controller === NGINX_CONTROLLER : true;
      const annotations = partial.res.annotations;
      const rewrite = annotations[`${NGINX}rewrite-target`];
      return {
        ...partial,
        className,
        nginx,
        canary: nginx ? nginxCanary(annotations) : null,
        useRegex: nginx && annotations[`${NGINX}use-regex`] === "true",
        rewriteTarget: nginx && rewrite ? rewrite : null,
      } satisfies IngressInfo;
    })
    .sort(byAge);

  const report = (res: Resource, path: FieldPath, code: RoutingCode, message: string, hint?: string) =>
    findings.push(findingAt(res, path, routingFinding(code, message, hint)));

  const servers = new Map<string, Server>();
  const serverFor = (className: string, host: string, owner: IngressInfo | null): Server => {
    const k = `${className}|${host}`;
    let s = servers.get(k);
    if (!s) servers.set(k, (s = { className, host, owner, locations: [], catchAll: null, catchAllCanary: null }));
    return s;
  };

  for (const ing of ingresses.filter((i) => !i.canary)) {
    if (!ing.rules.length && ing.defaultBackend) {
      // ingress-nginx: an Ingress with a backend and no rules serves the default server's root.
      const s = serverFor(ing.className, "*", null);
      if (!s.catchAll) s.catchAll = { ingress: ing, ...ing.defaultBackend };
    }
    for (const rule of ing.rules) {
      const s = serverFor(ing.className, rule.host ?? "*", ing);
      for (const p of rule.paths) {
        const dup = s.locations.find((l) => l.path === p.path && l.pathType === p.pathType);
        if (dup) {
          report(
            ing.res,
            p.originPath,
            ingressFindings.duplicatePath,
            `Ingress ${ing.key} repeats ${s.host}${p.path} (${p.pathType}), already defined by Ingress ${dup.ingress.key}; ingress-nginx keeps the older one.`,
          );
          continue;
        }
        s.locations.push({ ingress: ing, ...p, canary: null });
      }
    }
  }
  for (const s of servers.values()) {
    const rootTaken = s.locations.some((l) => l.path === "/" && l.pathType !== "Exact");
    if (!rootTaken && !s.catchAll && s.owner?.defaultBackend) s.catchAll = { ingress: s.owner, ...s.owner.defaultBackend };
  }

  for (const ing of ingresses.filter((i) => i.canary)) {
    if (ing.defaultBackend) {
      const s = servers.get(`${ing.className}|*`);
      if (s?.catchAll) s.catchAllCanary ??= { ingress: ing, ...ing.defaultBackend };
      else
        report(
          ing.res,
          ing.defaultBackend.originPath,
          ingressFindings.canaryWithoutMain,
          `Canary Ingress ${ing.key} has a default backend, but no main Ingress of class ${ing.className} serves a default backend; the canary gets no traffic.`,
        );
    }
    for (const rule of ing.rules)
      for (const p of rule.paths) {
        const host = rule.host ?? "*";
        const main = servers.get(`${ing.className}|${host}`)?.locations.find((l) => l.path === p.path && l.pathType === p.pathType);
        if (!main) {
          report(
            ing.res,
            p.originPath,
            ingressFindings.canaryWithoutMain,
            `Canary Ingress ${ing.key} has no main Ingress of class ${ing.className} for ${host}${p.path} (${p.pathType}); ingress-nginx drops the canary, so it gets no traffic.`,
            "Add the same host, path and pathType to a main (non-canary) Ingress of the same class.",
          );
          continue;
        }
        // balancer.lua consults only the first alternative backend of a location.
        main.canary ??= { ingress: ing, backend: p.backend, originPath: p.originPath };
      }
  }

  const resolve = (ing: IngressInfo, backend: RawBackend, at: FieldPath): WeightedBackend[] => {
    if (backend.kind === "resource") {
      report(ing.res, at, ingressFindings.resourceBackend, `Ingress ${ing.key} sends traffic to resource ${backend.label}, which meshplan does not route.`);
      return [];
    }
    const fqdn = serviceFqdn(backend.name, ing.namespace, model.clusterDomain);
    const svc = model.services.get(fqdn);
    let port: number | null = typeof backend.port === "number" ? backend.port : null;
    if (!svc) {
      // Kept as the Ingress's intent: the Service may be applied from elsewhere (a port name then stays unresolved).
      report(
        ing.res,
        at,
        ingressFindings.backendNotFound,
        `Ingress ${ing.key} sends traffic to Service ${ing.namespace}/${backend.name}, which is not in the tree; if it does not exist in the cluster either, the controller answers HTTP 503.`,
      );
      return [{ service: fqdn, subset: null, port, weight: 100, selector: null }];
    }
    if (typeof backend.port === "string") {
      const named = svc.ports.find((p) => p.name === backend.port);
      if (!named) {
        report(
          ing.res,
          backend.portPath,
          ingressFindings.portNotFound,
          `Service ${ing.namespace}/${backend.name} has no port named ${backend.port} (its ports: ${svc.ports.map((p) => p.name ?? p.port).join(", ") || "none"}); the controller answers HTTP 503.`,
        );
        return [];
      }
      port = named.port;
    }
    return [{ service: fqdn, subset: null, port, weight: 100, selector: svc.selector }];
  };

  const hosts: HostRoutes[] = [];
  for (const s of servers.values()) {
    const regexServer = s.locations.some(
      (l) => l.ingress.useRegex || (l.ingress.rewriteTarget !== null && l.ingress.rewriteTarget !== l.path),
    );
    const ordered = orderLocations(s.locations, regexServer);
    const rules: EffectiveRule[] = [];
    const owners: string[] = [];
    const push = (rule: Omit<EffectiveRule, "id" | "policies">, owner: string) => {
      rules.push({ id: "", policies: emptyPolicies(), ...rule });
      owners.push(owner);
    };
    for (const loc of ordered) {
      const match: RequestMatch = { uri: uriMatch(loc, regexServer) };
      const mainBackends = resolve(loc.ingress, loc.backend, loc.originPath);
      const mainOrigin = originOf(loc.ingress.res, loc.originPath);
      const alternative = loc.canary ? resolve(loc.canary.ingress, loc.canary.backend, loc.canary.originPath) : [];
      // balancer.lua: a canary without a usable upstream (a resource backend, an unknown port name) is skipped.
      if (loc.canary && loc.canary.ingress.canary && alternative.length) {
        const canaryOrigin = originOf(loc.canary.ingress.res, loc.canary.originPath);
        for (const r of canaryRules(loc.canary.ingress.canary, match, mainBackends, alternative))
          push(
            { name: r.name, matches: [r.match], backends: r.backends, origin: r.fromCanary ? canaryOrigin : mainOrigin },
            r.fromCanary ? loc.canary.ingress.key : loc.ingress.key,
          );
      } else {
        push({ name: null, matches: [match], backends: mainBackends, origin: mainOrigin }, loc.ingress.key);
      }
    }
    if (s.catchAll) {
      const { ingress, backend, originPath } = s.catchAll;
      const main = resolve(ingress, backend, originPath);
      const origin = originOf(ingress.res, originPath);
      const canary = s.catchAllCanary;
      const alternative = canary ? resolve(canary.ingress, canary.backend, canary.originPath) : [];
      if (canary && canary.ingress.canary && alternative.length) {
        const canaryOrigin = originOf(canary.ingress.res, canary.originPath);
        for (const r of canaryRules(canary.ingress.canary, {}, main, alternative))
          push(
            { name: r.name, matches: isEmptyMatch(r.match) ? [] : [r.match], backends: r.backends, origin: r.fromCanary ? canaryOrigin : origin },
            r.fromCanary ? canary.ingress.key : ingress.key,
          );
      } else {
        push({ name: null, matches: [], backends: main, origin }, ingress.key);
      }
    }
    if (!rules.length) continue;
    assignIds(rules, owners);
    const origins = new Map<string, Origin>();
    for (const loc of s.locations) {
      origins.set(loc.ingress.key, originOf(loc.ingress.res, []));
      if (loc.canary) origins.set(loc.canary.ingress.key, originOf(loc.canary.ingress.res, []));
    }
    if (s.catchAll) origins.set(s.catchAll.ingress.key, originOf(s.catchAll.ingress.res, []));
    if (s.catchAllCanary) origins.set(s.catchAllCanary.ingress.key, originOf(s.catchAllCanary.ingress.res, []));
    const attachment = `ingress:${s.className}`;
    hosts.push({
      key: `ingress|${attachment}|${s.host}|*|http`,
      host: s.host,
      port: null,
      protocol: "http",
      source: "ingress",
      attachment,
      rules,
      origins: [...origins.values()],
    });
  }
  hosts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { hosts, access: [], findings };
};

function isEmptyMatch(m: RequestMatch): boolean {
  return Object.keys(m).length === 0;
}

/**
 * - Exact -> exact. Prefix -> element-wise prefix (ingress-nginx writes `location /foo/` plus `location = /foo`).
 * - ImplementationSpecific -> a plain nginx prefix location (`location /foo`), matching `/foobar` too.
 * - On a regex host, `location ~* "^<path>"`: case-insensitive, anchored at the start only.
 */
function uriMatch(loc: Location, regexServer: boolean): StringMatch {
  if (regexServer && loc.ingress.nginx) return { type: "regex", value: `(?i)(?:${loc.path}).*` };
  if (loc.pathType === "Exact") return { type: "exact", value: loc.path };
  if (loc.pathType === "Prefix") return { type: "pathPrefix", value: loc.path };
  return { type: "prefix", value: loc.path };
}

function orderLocations(locations: Location[], regexServer: boolean): Location[] {
  if (regexServer) {
    // ingress-nginx sorts locations by path, descending, then (stably) by length, longest first; nginx tries regexes in order.
    return [...locations].sort((a, b) => b.path.length - a.path.length || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  }
  const rank = (l: Location) => (l.pathType === "Exact" ? 1 : 0);
  return [...locations].sort((a, b) => rank(b) - rank(a) || prefixLength(b) - prefixLength(a));
}

/** The length nginx compares: a Prefix path is written as `<path>/` (`/` stays `/`). */
function prefixLength(l: Location): number {
  if (l.pathType !== "Prefix") return l.path.length;
  const trimmed = l.path.replace(/\/+$/, "");
  return trimmed.length + 1;
}

function byAge(a: IngressInfo, b: IngressInfo): number {
  if (a.creationTimestamp && b.creationTimestamp && a.creationTimestamp !== b.creationTimestamp)
    return Date.parse(a.creationTimestamp) - Date.parse(b.creationTimestamp) || (a.creationTimestamp < b.creationTimestamp ? -1 : 1);
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

type PartialIngress = Omit<IngressInfo, "className" | "nginx" | "canary" | "useRegex" | "rewriteTarget"> & { className: string | null };

function common(t: Typed<unknown>, model: MeshModel, ingressClassName: string | null | undefined): Omit<PartialIngress, "rules" | "defaultBackend"> {
  const namespace = t.namespace ?? model.defaultNamespace;
  const meta = t.res.object["metadata"] as Record<string, unknown> | undefined;
  const ts = meta?.["creationTimestamp"];
  return {
    res: t.res,
    namespace,
    key: `${namespace}/${t.res.name}`,
    creationTimestamp: typeof ts === "string" && ts ? ts : null,
    className: ingressClassName || t.res.annotations[CLASS_ANNOTATION] || null,
  };
}

function hostOf(host: string | null | undefined): string | null {
  return host ? host.toLowerCase() : null;
}

function fromV1(t: Typed<Ingress>, model: MeshModel): PartialIngress {
  const spec = t.obj.spec;
  const backend = (b: IngressBackend, at: FieldPath): RawBackend =>
    b.service
      ? { kind: "service", name: b.service.name, port: b.service.port?.number ?? b.service.port?.name ?? null, portPath: [...at, "service", "port"] }
      : { kind: "resource", label: `${b.resource?.kind ?? ""} ${b.resource?.name ?? ""}`.trim() };
  return {
    ...common(t, model, spec.ingressClassName),
    rules: (spec.rules ?? []).map((r, ri) => ({
      host: hostOf(r.host),
      paths: (r.http?.paths ?? []).map((p, pi) => {
        const originPath: FieldPath = ["spec", "rules", ri, "http", "paths", pi];
        return { path: p.path || "/", pathType: p.pathType, backend: backend(p.backend, [...originPath, "backend"]), originPath };
      }),
    })),
    defaultBackend: spec.defaultBackend ? { backend: backend(spec.defaultBackend, ["spec", "defaultBackend"]), originPath: ["spec", "defaultBackend"] } : null,
  };
}

/** extensions/v1beta1 and networking.k8s.io/v1beta1: serviceName/servicePort, spec.backend, pathType defaulting to ImplementationSpecific. */
function fromLegacy(t: Typed<LegacyIngress>, model: MeshModel): PartialIngress {
  const spec = t.obj.spec;
  const backend = (b: LegacyIngressBackend, at: FieldPath): RawBackend =>
    b.serviceName
      ? { kind: "service", name: b.serviceName, port: b.servicePort ?? null, portPath: [...at, "servicePort"] }
      : { kind: "resource", label: `${b.resource?.kind ?? ""} ${b.resource?.name ?? ""}`.trim() };
  return {
    ...common(t, model, spec.ingressClassName),
    rules: (spec.rules ?? []).map((r, ri) => ({
      host: hostOf(r.host),
      paths: (r.http?.paths ?? []).map((p, pi) => {
        const originPath: FieldPath = ["spec", "rules", ri, "http", "paths", pi];
        return { path: p.path || "/", pathType: p.pathType ?? "ImplementationSpecific", backend: backend(p.backend, [...originPath, "backend"]), originPath };
      }),
    })),
    defaultBackend: spec.backend ? { backend: backend(spec.backend, ["spec", "backend"]), originPath: ["spec", "backend"] } : null,
  };
}
