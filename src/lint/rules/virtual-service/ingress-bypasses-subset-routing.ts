import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { resolveIstioHost } from "../../../mesh/hosts.js";
import type { Typed } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/**
 * istioctl virtualservice.DestinationHostAnalyzer, IngressRouteRulesNotAffected
 * (testdata virtualservice_route_rule_no_effects_ingress.yaml). A gateway
 * sends a request to the cluster of the destination its own VirtualService
 * names; the VirtualServices of that destination host are not evaluated again.
 * Unlike istioctl, a VirtualService bound only to `mesh` is not reported: its
 * routes are sidecar routes, not ingress ones.
 */
export const ingressBypassesSubsetRouting: LintRule = {
  code: "MP1004",
  title: "ingress route bypasses subset routing",
  severity: "warning",
  docs:
    "A VirtualService bound to a gateway routes to a host without naming a subset, while another VirtualService " +
    "for that host splits its traffic into subsets. The gateway sends requests straight to the host's cluster: " +
    "the other VirtualService's rules (canary weights, header routing, subsets) apply to mesh traffic only, and " +
    "ingress requests are spread over every version of the service.",
  equivalents: ["IST0140"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const all = ctx.model.list<VirtualService>(VIRTUAL_SERVICE);
    // Host -> VirtualServices for that host that route it to subsets of itself.
    const subsetRouted = new Map<string, Typed<VirtualService>[]>();
    for (const vs of all) {
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      const hosts = new Set((vs.obj.spec?.hosts ?? []).map((h) => resolveIstioHost(h, namespace, ctx.model.clusterDomain)));
      const routed = new Set<string>();
      for (const rule of vs.obj.spec?.http ?? []) {
        for (const entry of rule.route ?? []) {
          const d = entry.destination;
          if (!d?.host || !d.subset) continue;
          const host = resolveIstioHost(d.host, namespace, ctx.model.clusterDomain);
          if (hosts.has(host)) routed.add(host);
        }
      }
      for (const host of routed) {
        let list = subsetRouted.get(host);
        if (!list) subsetRouted.set(host, (list = []));
        list.push(vs);
      }
    }
    if (subsetRouted.size === 0) return;

    for (const vs of all) {
      const gateways = vs.obj.spec?.gateways ?? [];
      if (!gateways.some((g) => g !== "mesh")) continue;
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      (vs.obj.spec?.http ?? []).forEach((rule, i) => {
        (rule.route ?? []).forEach((entry, j) => {
          const d = entry.destination;
          if (!d?.host || d.subset) return;
          const host = resolveIstioHost(d.host, namespace, ctx.model.clusterDomain);
          for (const other of subsetRouted.get(host) ?? []) {
            const otherName = `${other.namespace ?? ctx.model.defaultNamespace}/${other.res.name}`;
            ctx.report(
              vs.res,
              ["spec", "http", i, "route", j, "destination", "host"],
              `gateway requests go to every version of ${host}: the subset routing of VirtualService ${otherName} applies to mesh traffic only`,
              { hint: `Route to the subset ingress traffic should reach (destination.subset), as VirtualService ${otherName} does.` },
            );
          }
        });
      });
    }
  },
};
