/**
 * The Istio routing engine: VirtualServices (with their DestinationRules and
 * delegates) -> HostRoutes, AuthorizationPolicies -> AccessRules.
 *
 * Several VirtualServices for one host: on a gateway their routes are merged
 * in order; for the sidecars (`mesh`) only the first one applies (Istio
 * operations guide, "Split large virtual services and destination rules").
 * "First" is Istio's order, oldest creationTimestamp first, then name, then
 * namespace; manifests in git rarely carry a timestamp, so name and
 * namespace usually decide.
 */
import type { Finding } from "../../findings.js";
import type { FieldPath } from "../../manifests/types.js";
import type { VirtualService } from "../../manifests/schemas/istio.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import type { EngineResult, RoutingEngine } from "../engine.js";
import type { HostRoutes } from "../types.js";
import { authorizationPolicyRules } from "./authorization-policy-rules.js";
import type { BackendResolver } from "./backend-resolver.js";
import { backendResolver } from "./backend-resolver.js";
import { destinationRules } from "./destination-rules.js";
import { routeReporter } from "./istio-route-codes.js";
import { ruleId, uniqueIds } from "./rule-id.js";
import type { HostRoutesFragment } from "./virtual-service-routes.js";
import { dedupeOrigins, VIRTUAL_SERVICE, virtualServiceRoutes } from "./virtual-service-routes.js";

export const istioRoutes: RoutingEngine = (model: MeshModel): EngineResult => {
  const findings: Finding[] = [];
  const resolver = backendResolver(model, destinationRules(model), findings);
  const services = [...model.list<VirtualService>(VIRTUAL_SERVICE)].sort(istioOrder);

  // Every destination is checked once, delegates and unrouted VirtualServices
  // included, so subset findings do not depend on which hosts get routed.
  for (const vs of services) checkDestinations(vs, resolver, model.defaultNamespace);

  const report = routeReporter(findings);
  const byKey = new Map<string, HostRoutesFragment>();
  for (const vs of services) {
    for (const frag of virtualServiceRoutes(vs, { model, resolver, report })) {
      const key = hostKey(frag);
      const existing = byKey.get(key);
      if (!existing) byKey.set(key, { ...frag, rules: [...frag.rules], origins: [...frag.origins] });
      else if (frag.attachment !== "mesh") {
        existing.rules.push(...frag.rules);
        existing.origins.push(...frag.origins);
      }
    }
  }

  const hosts: HostRoutes[] = [...byKey.entries()].map(([key, frag]) => {
    const ids = uniqueIds(frag.rules.map((r) => ruleId(r.name, r.matches)));
    return {
      key,
      host: frag.host,
      port: null,
      protocol: frag.protocol,
      source: "istio",
      attachment: frag.attachment,
      rules: frag.rules.map((r, i) => ({ id: ids[i]!, ...r })),
      origins: dedupeOrigins(frag.origins),
    };
  });

  const access = authorizationPolicyRules(model, findings);
  return { hosts, access, findings };
};

function hostKey(f: HostRoutesFragment): string {
  return `istio|${f.attachment}|${f.host}|*|${f.protocol}`;
}

function istioOrder(a: Typed<VirtualService>, b: Typed<VirtualService>): number {
  const ta = creationTimestamp(a);
  const tb = creationTimestamp(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.res.name !== b.res.name) return a.res.name < b.res.name ? -1 : 1;
  const na = a.namespace ?? "";
  const nb = b.namespace ?? "";
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** RFC 3339 timestamps in UTC compare as strings; an unset one sorts as the oldest, as Go's zero time does. */
function creationTimestamp(vs: Typed<VirtualService>): string {
  const t = (vs.obj.metadata as { creationTimestamp?: unknown }).creationTimestamp;
  return typeof t === "string" ? t : "";
}

function checkDestinations(vs: Typed<VirtualService>, resolver: BackendResolver, defaultNamespace: string): void {
  const spec = vs.obj.spec ?? {};
  const namespace = vs.namespace ?? defaultNamespace;
  const check = (path: FieldPath, dest: Parameters<BackendResolver["resolve"]>[2] | undefined) => {
    if (dest) resolver.resolve(vs.res, path, dest, namespace);
  };
  (spec.http ?? []).forEach((r, i) => {
    (r.route ?? []).forEach((d, k) => check(["spec", "http", i, "route", k, "destination"], d.destination));
    check(["spec", "http", i, "mirror"], r.mirror);
    (r.mirrors ?? []).forEach((m, j) => check(["spec", "http", i, "mirrors", j, "destination"], m.destination));
  });
  for (const kind of ["tcp", "tls"] as const) {
    (spec[kind] ?? []).forEach((r, i) =>
      (r.route ?? []).forEach((d, k) => check(["spec", kind, i, "route", k, "destination"], d.destination)),
    );
  }
}
