import type { Labels, Workload } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { declaredGateways, fullName, type DeclaredGateway } from "./istio-gateways.js";
import { selectorMatches, selectorString } from "./label-selectors.js";

/**
 * istioctl `gateway.ConflictingGatewayAnalyzer`
 * (pkg/config/analysis/analyzers/gateway/conflictinggateway.go), ConflictingGateways (IST0145):
 *
 * - Gateways are grouped by (selector, server port). Two selectors are the
 *   same gateway workload when their printed forms are equal, or when one
 *   printed form contains the other and some pod matches both (a sub-selector).
 * - A server conflicts with another Gateway of its group on the same port
 *   when one of its hosts is among that Gateway's hosts on the port with the
 *   same `bind` (pilot `model.CheckDuplicates`: hosts compare as written).
 * - Each conflicting server is reported once, naming the other Gateways.
 *
 * istioctl keeps only the last server of a Gateway per port; here the hosts
 * of all its servers on that port count, so a clash with an earlier server
 * is not missed.
 */
export const conflictingGateways: LintRule = {
  code: "MP1042",
  title: "Conflicting gateways",
  severity: "error",
  docs:
    "Two Istio Gateways select the same gateway workload and declare the same host on the same port (and bind " +
    "address). Istio merges the Gateways of a proxy and rejects the duplicate server, so one of them silently does " +
    "not take effect and its VirtualServices lose their traffic on that port.",
  equivalents: ["IST0145"],
  kinds: ["networking.istio.io/Gateway"],
  check(ctx) {
    const gateways = declaredGateways(ctx.model).filter((g) => g.spec !== null);
    const groups = groupByWorkloadAndPort(gateways);
    const workloads = ctx.model.workloads;

    for (const gw of gateways) {
      const name = fullName(gw.res, gw.namespace);
      const sel = selectorString(gw.selector);
      const sameWorkload = [...groups.values()].filter(
        (g) => g.selectorKey === sel || ((g.selectorKey.includes(sel) || sel.includes(g.selectorKey)) && shareAPod(gw.selector, g.selector, workloads)),
      );
      gw.spec!.servers.forEach((server, i) => {
        const bind = server.bind ?? "";
        const others = new Set<string>();
        for (const group of sameWorkload) {
          if (group.port !== server.port.number) continue;
          for (const [other, hosts] of group.hostsByGateway) {
            if (other !== name && server.hosts.some((h) => hosts.get(h) === bind)) others.add(other);
          }
        }
        if (others.size === 0) return;
        const list = [...others].sort();
        ctx.report(
          gw.res,
          ["spec", "servers", i],
          `Gateway ${name} conflicts with ${list.join(", ")}: same workload (selector ${sel}), port ${server.port.number}, hosts ${server.hosts.join(",")}; ` +
            "Istio keeps one of the duplicate servers and drops the other",
          { hint: "Serve each host on a port from one Gateway only: merge the servers into one Gateway or give them distinct hosts." },
        );
      });
    }
  },
};

interface PortGroup {
  selector: Labels;
  selectorKey: string;
  port: number;
  /** `namespace/name` -> host -> bind ("" when unset). */
  hostsByGateway: Map<string, Map<string, string>>;
}

function groupByWorkloadAndPort(gateways: readonly DeclaredGateway[]): Map<string, PortGroup> {
  const groups = new Map<string, PortGroup>();
  for (const gw of gateways) {
    const selectorKey = selectorString(gw.selector);
    const name = fullName(gw.res, gw.namespace);
    for (const server of gw.spec!.servers) {
      const key = `${selectorKey}~${server.port.number}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { selector: gw.selector, selectorKey, port: server.port.number, hostsByGateway: new Map() }));
      let hosts = group.hostsByGateway.get(name);
      if (!hosts) group.hostsByGateway.set(name, (hosts = new Map()));
      for (const h of server.hosts) hosts.set(h, server.bind ?? "");
    }
  }
  return groups;
}

function shareAPod(a: Labels, b: Labels, workloads: readonly Workload[]): boolean {
  return workloads.some((w) => selectorMatches(a, w.labels) && selectorMatches(b, w.labels));
}
