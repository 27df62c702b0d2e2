import type { VirtualService } from "../../../manifests/schemas/istio.js";
import type { FieldPath, Resource } from "../../../manifests/types.js";
import type { EffectiveRule, RequestMatch } from "../../../routing/types.js";
import type { LintRule } from "../../rule.js";
import { serviceRegistry } from "./service-registry.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/**
 * Reads the routing table: for each mesh host routed by a VirtualService, is
 * there a rule every request matches? Istio answers a request that matches no
 * http rule with 404 (DESIGN.md, "Routing semantics"); without the
 * VirtualService the same request would have reached the Service.
 */
export const noDefaultRoute: LintRule = {
  code: "MP1011",
  title: "no default route",
  severity: "warning",
  docs:
    "Every http rule of the VirtualService for a mesh host has match conditions, so a request that matches none " +
    "of them (another path, a missing header) has no route: the sidecar answers 404 instead of forwarding it to " +
    "the service, as it would without the VirtualService. Rules that take every request on a port " +
    "(`match: [{port: 80}]`) count as the default for that port when they cover every port of the host that " +
    "carries HTTP. Add a last rule without `match` that sends the rest of the traffic to the default version.",
  equivalents: [],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const registry = serviceRegistry(ctx.model);
    const byOrigin = new Map<string, Resource>();
    for (const vs of ctx.model.list<VirtualService>(VIRTUAL_SERVICE)) byOrigin.set(originKey(vs.res.file, vs.res.kind, vs.res.namespace, vs.res.name), vs.res);
    for (const host of ctx.table.hosts) {
      if (host.source !== "istio" || host.attachment !== "mesh" || host.protocol !== "http") continue;
      if (host.rules.some(takesEveryRequest)) continue;
      const hostsOrigin = host.origins.find((o) => o.resource.kind === "VirtualService" && /^spec\.hosts\[\d+\]$/.test(o.path));
      if (!hostsOrigin) continue;
      const res = byOrigin.get(originKey(hostsOrigin.file, hostsOrigin.resource.kind, hostsOrigin.resource.namespace, hostsOrigin.resource.name));
      if (!res) continue;
      // Rules that take every request on some ports (`match: [{port: 80}]`) are a default route
      // when they cover every port of the host that http routes apply to.
      const portDefaults = new Set(host.rules.flatMap((r) => r.matches.filter(matchesEveryRequestOnItsPort).map((m) => m.port!)));
      if (portDefaults.size > 0) {
        const known = registry.lookup(host.host, res.namespace ?? ctx.model.defaultNamespace, []);
        if (!known || known.httpPorts.every((p) => portDefaults.has(p))) continue;
      }
      const path: FieldPath = ["spec", "hosts", Number(/\[(\d+)\]/.exec(hostsOrigin.path)![1])];
      const last = host.rules[host.rules.length - 1];
      ctx.report(
        res,
        path,
        last
          ? `requests to ${host.host} that match none of its ${host.rules.length} rule(s) get 404: the last rule (${last.origin.path}) has match conditions`
          : `${host.host} has no http rule for the mesh: every http request to it gets 404`,
        { hint: "Add a final http rule without `match` that routes the remaining requests." },
      );
    }
  },
};

function originKey(file: string, kind: string, namespace: string | null, name: string): string {
  return `${file}\u0000${kind}\u0000${namespace ?? ""}\u0000${name}`;
}

function takesEveryRequest(rule: EffectiveRule): boolean {
  return rule.matches.length === 0 || rule.matches.some((m) => matchesEveryRequest(m));
}

function matchesEveryRequestOnItsPort(m: RequestMatch): boolean {
  return m.port !== undefined && matchesEveryRequest(m, true);
}

/** A block without conditions, or only a `uri` every path satisfies (`prefix: /`, `regex: .*`). */
function matchesEveryRequest(m: RequestMatch, ignorePort = false): boolean {
  for (const [key, value] of Object.entries(m)) {
    if (ignorePort && key === "port") continue;
    if (value === undefined) continue;
    if (key === "ignoreUriCase") continue;
    // On the mesh attachment only blocks that apply there are kept, so `gateways` names the mesh.
    if (key === "gateways") continue;
    if (key === "uri") {
      const uri = m.uri!;
      if ((uri.type === "prefix" && (uri.value === "" || uri.value === "/")) || (uri.type === "regex" && uri.value === ".*")) continue;
    }
    return false;
  }
  return true;
}
