import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { resolveGatewayName } from "../../../routing/istio/resolve-gateway-name.js";
import type { LintRule } from "../../rule.js";
import type { IndexedGateway } from "./gateway-index.js";
import { gatewayIndex } from "./gateway-index.js";
import { hostsOverlap } from "./hosts-overlap.js";
import { isInternalGatewayReference } from "./is-internal-gateway-reference.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/**
 * istioctl virtualservice.GatewayAnalyzer, VirtualServiceHostNotFoundInGateway.
 * Istio Gateway server hosts are `namespace/host`: `./host` is the Gateway's
 * namespace, `*\/host` or a bare `host` any namespace, and a host in another
 * namespace is not offered to this VirtualService (pkg/config/host
 * `NamesForNamespace`). A Kubernetes Gateway listener without `hostname`
 * accepts every host. A gateway that does not exist serves none of them,
 * which istioctl reports here as well.
 */
export const hostNotInGateway: LintRule = {
  code: "MP1006",
  title: "VirtualService host not in gateway",
  severity: "warning",
  docs:
    "A VirtualService binds to a gateway, but none of its hosts is among the hosts that gateway's servers (or " +
    "listeners) accept for the VirtualService's namespace. The gateway never selects the VirtualService for any " +
    "request, so its routes have no effect there.",
  equivalents: ["IST0132"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const gateways = gatewayIndex(ctx.model);
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      const hosts = vs.obj.spec?.hosts ?? [];
      (vs.obj.spec?.gateways ?? []).forEach((g, i) => {
        if (g === "mesh" || isInternalGatewayReference(g)) return;
        const name = resolveGatewayName(g, namespace);
        const gateway = gateways.get(name);
        const offered = gateway ? offeredHosts(gateway, namespace) : [];
        if (offered === "any" || offered.some((gh) => hosts.some((h) => hostsOverlap(gh, h)))) return;
        const message = gateway
          ? `gateway ${name} accepts none of this VirtualService's hosts (${hosts.join(", ") || "none"}) for namespace ${namespace}` +
            (offered.length === 0 ? "" : `; it accepts ${offered.join(", ")}`)
          : `gateway ${name} is not in the tree, so it serves none of this VirtualService's hosts`;
        ctx.report(vs.res, ["spec", "gateways", i], message, {
          hint: `Add a matching host to the gateway (as ${namespace}/HOST, ./HOST in its namespace, or */HOST), or change the VirtualService hosts.`,
        });
      });
    });
  },
};

/** The hosts a gateway offers to VirtualServices of `namespace`; "any" for a listener without hostname. */
function offeredHosts(gateway: IndexedGateway, namespace: string): string[] | "any" {
  const out: string[] = [];
  for (const h of gateway.hosts) {
    if (h === null) return "any";
    if (gateway.kind === "kubernetes") {
      out.push(h);
      continue;
    }
    const slash = h.indexOf("/");
    if (slash < 0) {
      out.push(h);
      continue;
    }
    const ns = h.slice(0, slash);
    const host = h.slice(slash + 1);
    const scope = ns === "." ? gateway.namespace : ns;
    if (scope === "*" || scope === namespace) out.push(host);
  }
  return out;
}
