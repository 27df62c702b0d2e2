/**
 * The SMI traffic specs (specs.smi-spec.io) of a tree, indexed by namespace
 * and name and turned into request matches once, so every TrafficSplit,
 * TrafficTarget and Egress that names them sees the same matches and an
 * invalid regex is reported once, at the route group.
 *
 * An HTTPRouteGroup match becomes what OSM programs into Envoy for it
 * (pkg/envoy/rds route building): the path is an RE2 `safe_regex` that must
 * match the whole path (the SMI spec text says "anchored to the beginning";
 * Envoy, and so OSM, anchor both ends), every header value is an RE2 regex on
 * that header (`host` on the authority), and the methods become one route per
 * method, `*` or none meaning any method. No pathRegex means any path.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { AnyHttpRouteGroup, HttpRouteGroup, HttpRouteGroupMatch, HttpRouteGroupV1alpha1, TcpRoute } from "../../manifests/schemas/smi.js";
import type { FieldPath, Resource } from "../../manifests/types.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { compileRe2 } from "../regex.js";
import type { KeyedMatch, RequestMatch } from "../types.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export interface NamedHttpMatch {
  name: string;
  /** Where the match is declared in its HTTPRouteGroup. */
  path: FieldPath;
  /** OR of request matches; empty when the match is invalid and left out. */
  requestMatches: RequestMatch[];
}

export interface HttpRouteGroupEntry {
  typed: Typed<AnyHttpRouteGroup>;
  namespace: string;
  /** In declaration order. */
  matches: NamedHttpMatch[];
}

export interface TcpRouteEntry {
  typed: Typed<TcpRoute>;
  namespace: string;
  /** spec.matches.ports; empty: every port of the destination (SMI traffic-specs v1alpha4). */
  ports: number[];
}

export interface RouteGroups {
  http(namespace: string, name: string): HttpRouteGroupEntry | undefined;
  tcp(namespace: string, name: string): TcpRouteEntry | undefined;
  udp(namespace: string, name: string): Typed<unknown> | undefined;
  /** Invalid regexes, one finding each. */
  findings: Finding[];
}

export function routeGroups(model: MeshModel): RouteGroups {
  const findings: Finding[] = [];
  const http = new Map<string, HttpRouteGroupEntry>();
  for (const typed of model.list<AnyHttpRouteGroup>("specs.smi-spec.io/HTTPRouteGroup")) {
    const namespace = typed.namespace ?? model.defaultNamespace;
    // specs.smi-spec.io v1alpha1/v1alpha2 keep `matches` at the top level; later versions under spec.
    const topLevel = typed.res.version === "v1alpha1" || typed.res.version === "v1alpha2";
    const base: FieldPath = topLevel ? ["matches"] : ["spec", "matches"];
    const declared = topLevel ? (typed.obj as HttpRouteGroupV1alpha1).matches : (typed.obj as HttpRouteGroup).spec.matches;
    const matches = declared.map((m, i) => {
      const path = [...base, i];
      return { name: m.name, path, requestMatches: requestMatchesOf(m, typed.res, path, findings) };
    });
    http.set(key(namespace, typed.res.name), { typed, namespace, matches });
  }

  const tcp = new Map<string, TcpRouteEntry>();
  for (const typed of model.list<TcpRoute>("specs.smi-spec.io/TCPRoute")) {
    const namespace = typed.namespace ?? model.defaultNamespace;
    tcp.set(key(namespace, typed.res.name), { typed, namespace, ports: [...(typed.obj.spec?.matches?.ports ?? [])] });
  }

  return {
    http: (namespace, name) => http.get(key(namespace, name)),
    tcp: (namespace, name) => tcp.get(key(namespace, name)),
    udp: (namespace, name) => model.get("specs.smi-spec.io/UDPRoute", namespace, name),
    findings,
  };
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function requestMatchesOf(m: HttpRouteGroupMatch, res: Resource, path: FieldPath, findings: Finding[]): RequestMatch[] {
  let valid = true;
  const checkRegex = (value: string, at: FieldPath): void => {
    const compiled = compileRe2(value);
    if (compiled.ok) return;
    valid = false;
    findings.push(
      findingAt(
        res,
        at,
        smiFinding(smiCodes.invalidRegex, `HTTPRouteGroup ${res.name} match ${m.name}: ${JSON.stringify(value)} is not a valid RE2 expression (${compiled.error})`, {
          hint: "Envoy rejects the whole route configuration for an invalid regex; fix or remove it.",
        }),
      ),
    );
  };

  const block: RequestMatch = {};
  if (m.pathRegex) {
    checkRegex(m.pathRegex, [...path, "pathRegex"]);
    block.uri = { type: "regex", value: m.pathRegex };
  }
  const headers: KeyedMatch[] = [];
  for (const [name, value, at] of headerEntries(m, path)) {
    checkRegex(value, at);
    // OSM matches a `host` filter against the request authority.
    if (name === "host") block.authority = { type: "regex", value };
    else headers.push({ name, match: { type: "regex", value } });
  }
  if (headers.length) block.headers = headers;
  if (!valid) return [];

  const methods = [...new Set(m.methods ?? [])];
  if (methods.length === 0 || methods.includes("*")) return [block];
  return methods.map((method) => ({ ...block, method: { type: "exact", value: method } }));
}

/** Header filters in either written form, as [lower-cased name, regex, field path]. */
function headerEntries(m: HttpRouteGroupMatch, path: FieldPath): [string, string, FieldPath][] {
  if (!m.headers) return [];
  if (Array.isArray(m.headers)) {
    return m.headers.flatMap((entry, i) =>
      Object.entries(entry).map(([name, value]): [string, string, FieldPath] => [name.toLowerCase(), value, [...path, "headers", i, name]]),
    );
  }
  return Object.entries(m.headers).map(([name, value]): [string, string, FieldPath] => [name.toLowerCase(), value, [...path, "headers", name]]);
}
