/**
 * Gateway API conflict resolution between routes (apis/v1 Listener.allowedRoutes
 * and HTTPRouteRule.matches): when rules of several routes attached to one
 * parent match the same requests equally specifically, "the oldest Route based
 * on creation timestamp" wins, and "if everything else is equivalent, the Route
 * appearing first in alphabetical order (namespace/name)". The other route's
 * rule is accepted but never receives a request, and nothing in its status
 * says so.
 *
 * The Gateway API engine already orders each host's rules by that precedence
 * (route-precedence.ts), so a rule whose hostname and match repeat an earlier
 * rule of another route in the same table is the shadowed one.
 */
import type { GRPCRoute, HTTPRoute } from "../../../manifests/schemas/gateway-api.js";
import type { Resource } from "../../../manifests/types.js";
import { hostMatches } from "../../../mesh/hosts.js";
import { canonicalMatch } from "../../../routing/gateway-api/canonical-match.js";
import type { EffectiveRule, HostRoutes } from "../../../routing/types.js";
import type { LintRule } from "../../rule.js";
import { fieldPathOf, originResources } from "./origin-resource.js";

const ROUTE_KINDS = new Set(["HTTPRoute", "GRPCRoute"]);

/**
 * The route hostname that placed the route in a table for `host`: the most
 * specific of its hostnames covering it, as the precedence compares them
 * (non-wildcard characters, then characters). GAMMA routes ignore hostnames.
 */
function routeHostnameFor(table: HostRoutes, hostnames: readonly string[] | null | undefined): string {
  if (table.attachment === "mesh") return "";
  let best = "";
  let bestKeys: [number, number] = [-1, -1];
  for (const raw of hostnames ?? []) {
    const h = raw.toLowerCase();
    if (!hostMatches(h, table.host)) continue;
    const keys: [number, number] = [h.startsWith("*") ? 0 : h.length, h.length];
    if (keys[0] > bestKeys[0] || (keys[0] === bestKeys[0] && keys[1] > bestKeys[1])) {
      best = h;
      bestKeys = keys;
    }
  }
  return best;
}

function creationTimestamp(res: Resource): string | null {
  const ts = (res.object["metadata"] as Record<string, unknown> | undefined)?.["creationTimestamp"];
  return typeof ts === "string" && ts ? ts : null;
}

function routeLabel(res: Resource, defaultNamespace: string): string {
  return `${res.kind} ${res.namespace ?? defaultNamespace}/${res.name}`;
}

function parentLabel(table: HostRoutes): string {
  if (table.attachment === "mesh") return `Service ${table.host}${table.port !== null ? ` port ${table.port}` : ""}`;
  const gateway = table.attachment.replace(/^gateway:/, "Gateway ");
  return `${gateway}, host ${table.host}${table.port !== null ? ` port ${table.port}` : ""}`;
}

export const routeMatchShadowed: LintRule = {
  code: "MP1102",
  title: "Route rule shadowed by an older route",
  severity: "warning",
  docs:
    "Two HTTPRoutes (or GRPCRoutes) attached to the same Gateway listener or Service declare a rule with the same " +
    "hostname and the same match. Gateway API gives such requests to the oldest route by creationTimestamp, then " +
    "to the first by namespace/name, so the other route's rule is accepted but never receives a request, and its " +
    "status does not say so. The finding is on the rule that loses; in the cluster the route created first wins, " +
    "so a newly added route loses to an existing one.",
  equivalents: [],
  kinds: ["gateway.networking.k8s.io/HTTPRoute", "gateway.networking.k8s.io/GRPCRoute"],
  check(ctx) {
    const resourceOf = originResources(ctx.model);
    const reported = new Set<string>();
    const hostnamesOf = (res: Resource): readonly string[] => {
      const typed = ctx.find<HTTPRoute | GRPCRoute>(`gateway.networking.k8s.io/${res.kind}`, res.namespace, res.name);
      return typed?.obj.spec.hostnames ?? [];
    };

    for (const table of ctx.table.hosts) {
      if (table.source !== "gateway-api") continue;
      const winners = new Map<string, { rule: EffectiveRule; res: Resource }>();
      for (const rule of table.rules) {
        if (!ROUTE_KINDS.has(rule.origin.resource.kind) || rule.origin.path === "spec.parentRefs") continue;
        const res = resourceOf(rule.origin);
        if (!res) continue;
        const hostname = routeHostnameFor(table, hostnamesOf(res));
        const key = `${hostname}\u0000${rule.matches.map(canonicalMatch).join(" | ")}`;
        const winner = winners.get(key);
        if (!winner) {
          winners.set(key, { rule, res });
          continue;
        }
        if (winner.res === res) continue;
        const at = `${res.file}#${res.docIndex}|${rule.origin.path}`;
        if (reported.has(at)) continue;
        reported.add(at);

        const mine = creationTimestamp(res);
        const theirs = creationTimestamp(winner.res);
        const why =
          mine && theirs && mine !== theirs
            ? `it is older (created ${theirs}, this one ${mine})`
            : "creation times do not decide (equal, or not in the manifests), so it comes first by namespace/name; in the cluster the route created first wins";
        const winnerLabel = routeLabel(winner.res, ctx.model.defaultNamespace);
        ctx.report(
          res,
          fieldPathOf(rule.origin.path),
          `${routeLabel(res, ctx.model.defaultNamespace)} ${rule.origin.path} repeats the ${hostname ? `hostname ${hostname} and ` : ""}match ` +
            `"${rule.matches.map(canonicalMatch).join(" | ")}" of ${winnerLabel} (${winner.rule.origin.path}) on ${parentLabel(table)}. ` +
            `Gateway API gives those requests to ${winnerLabel} because ${why}, so this rule never receives them.`,
          { hint: `Make the match more specific, move the rule into ${winnerLabel}, or remove one of the two.` },
        );
      }
    }
  },
};
