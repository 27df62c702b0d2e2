import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { resolveGatewayName } from "../../../routing/istio/resolve-gateway-name.js";
import type { LintRule } from "../../rule.js";
import { gatewayIndex } from "./gateway-index.js";
import { isInternalGatewayReference } from "./is-internal-gateway-reference.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/** istioctl virtualservice.GatewayAnalyzer, ReferencedResourceNotFound "gateway". */
export const gatewayNotFound: LintRule = {
  code: "MP1005",
  title: "gateway not found",
  severity: "error",
  docs:
    "A VirtualService binds to a gateway (`gateways: [ns/name]`; a short name is in the VirtualService's " +
    "namespace) that is neither an Istio Gateway nor a Kubernetes Gateway in the tree. No proxy serves the " +
    "VirtualService's hosts through it, so its routes do nothing for that gateway.",
  equivalents: ["IST0101"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const gateways = gatewayIndex(ctx.model);
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      (vs.obj.spec?.gateways ?? []).forEach((g, i) => {
        if (g === "mesh" || isInternalGatewayReference(g)) return;
        const name = resolveGatewayName(g, namespace);
        if (gateways.has(name)) return;
        ctx.report(vs.res, ["spec", "gateways", i], `gateway ${name} is not in the tree`, {
          hint: `Add Gateway ${name}, or name an existing gateway as namespace/name.`,
        });
      });
    });
  },
};
