import type { ServicePortInfo } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { declaredGateways, fullName } from "./istio-gateways.js";
import { selectorString } from "./label-selectors.js";
import { servicesByWorkload } from "./services-by-workload.js";

/**
 * istioctl `gateway.IngressGatewayPortAnalyzer` (pkg/config/analysis/analyzers/gateway/gateway.go),
 * GatewayPortNotDefinedOnService (IST0162): the ports a Gateway's server may
 * name are taken from the TCP ports of every Service selecting any of the
 * pods its selector matches. A server port is reachable when it is such a
 * port's numeric `targetPort` (the port the proxy listens on), or the
 * Service `port` itself, which pilot translates to that port's target port
 * when it builds the gateway listener (istio/istio#31386; the analyzer
 * accepts both since istio/istio#51278, whose test cases pin it: port 80 with
 * a Service 80 -> 8003 is fine, 8003 too, 8004 is not). A server whose port is
 * neither is reported, once per server.
 */
export const gatewayPortNotOnService: LintRule = {
  code: "MP1041",
  title: "Gateway port not exposed by the gateway's Service",
  severity: "warning",
  docs:
    "An Istio Gateway server names a port that is neither a port nor a target port of any Service selecting the " +
    "gateway's pods. The proxy opens a listener on it, but traffic sent to the gateway Service never reaches it, so " +
    "the server and the VirtualServices bound to it are unreachable through the Service.",
  equivalents: ["IST0162"],
  kinds: ["networking.istio.io/Gateway"],
  check(ctx) {
    const services = servicesByWorkload(ctx.model);
    for (const gw of declaredGateways(ctx.model)) {
      if (!gw.spec) continue;
      const pods = ctx.model.workloadsMatching(null, gw.selector);
      // No pod at all is MP1040's finding (IST0101), and istioctl then checks no port.
      if (pods.length === 0) continue;
      const reachable = new Set<number>();
      for (const pod of pods) {
        for (const svc of services.get(pod) ?? []) {
          for (const p of svc.ports) {
            if (p.protocol !== "TCP") continue;
            reachable.add(p.port);
            const target = numericTargetPort(p);
            if (target !== null) reachable.add(target);
          }
        }
      }
      gw.spec.servers.forEach((server, i) => {
        const port = server.port.number;
        if (reachable.has(port)) return;
        const exposed = [...reachable].sort((a, b) => a - b);
        ctx.report(
          gw.res,
          ["spec", "servers", i, "port", "number"],
          `Gateway ${fullName(gw.res, gw.namespace)} listens on port ${port}, but no Service selecting its pods (${selectorString(gw.selector)}) ` +
            `has the port or target port ${port}` +
            (exposed.length ? ` (they have ${exposed.join(", ")})` : " (no Service selects them)") +
            ": traffic sent through the gateway Service never reaches this server",
          { hint: `Add a port with targetPort ${port} to the gateway's Service, or listen on one of the ports it exposes.` },
        );
      });
    }
  },
};

/**
 * A Service port's numeric `targetPort` (the model defaults an absent one to
 * `port`); null for a named one, which istioctl's `TargetPort.IntValue()`
 * reads as 0.
 */
function numericTargetPort(p: ServicePortInfo): number | null {
  if (typeof p.targetPort === "number" && p.targetPort !== 0) return p.targetPort;
  if (typeof p.targetPort === "string" && /^\d+$/.test(p.targetPort) && Number(p.targetPort) !== 0) return Number(p.targetPort);
  return null;
}
