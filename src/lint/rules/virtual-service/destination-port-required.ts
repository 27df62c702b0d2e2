import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { resolveIstioHost } from "../../../mesh/hosts.js";
import type { LintRule } from "../../rule.js";
import { serviceRegistry } from "./service-registry.js";
import { virtualServiceDestinations } from "./virtual-service-destinations.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/** istioctl virtualservice.DestinationHostAnalyzer, VirtualServiceDestinationPortSelectorRequired. */
export const destinationPortRequired: LintRule = {
  code: "MP1002",
  title: "destination port required",
  severity: "error",
  docs:
    "A VirtualService destination (or mirror) names a Service or ServiceEntry that exposes more than one port " +
    "without saying which (`destination.port.number`). Istio cannot tell which port the route is for, so the " +
    "route is not applied to the ports the caller expects and traffic follows the default routing instead.",
  equivalents: ["IST0112"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const registry = serviceRegistry(ctx.model);
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      const exportTo = vs.obj.spec?.exportTo ?? [];
      for (const d of virtualServiceDestinations(vs.obj)) {
        if (!d.destination?.host || d.destination.port) continue;
        const found = registry.lookup(d.destination.host, namespace, exportTo);
        if (!found || found.ports.length <= 1) continue;
        const fqdn = resolveIstioHost(d.destination.host, namespace, ctx.model.clusterDomain);
        ctx.report(vs.res, d.path, `${fqdn} exposes ports ${found.ports.join(", ")}; this ${d.role === "mirror" ? "mirror" : "destination"} names none`, {
          hint: `Add \`port: { number: N }\` with one of ${found.ports.join(", ")}.`,
        });
      }
    });
  },
};
