import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { resolveIstioHost } from "../../../mesh/hosts.js";
import type { LintRule } from "../../rule.js";
import { serviceRegistry } from "./service-registry.js";
import { virtualServiceDestinations } from "./virtual-service-destinations.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/** istioctl virtualservice.DestinationHostAnalyzer, ReferencedResourceNotFound "host:port". */
export const destinationPortNotFound: LintRule = {
  code: "MP1003",
  title: "destination port not found",
  severity: "error",
  docs:
    "A VirtualService destination (or mirror) names a port that its Service or ServiceEntry does not expose. " +
    "Istio builds no cluster for that host and port, so requests routed there fail with 503.",
  equivalents: ["IST0101"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const registry = serviceRegistry(ctx.model);
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      const exportTo = vs.obj.spec?.exportTo ?? [];
      for (const d of virtualServiceDestinations(vs.obj)) {
        if (!d.destination?.host || !d.destination.port) continue;
        const found = registry.lookup(d.destination.host, namespace, exportTo);
        if (!found) continue;
        // istioctl compares the number as given; a port selector without a number is port 0.
        const port = d.destination.port.number ?? 0;
        if (found.ports.includes(port)) continue;
        const fqdn = resolveIstioHost(d.destination.host, namespace, ctx.model.clusterDomain);
        ctx.report(
          vs.res,
          [...d.path, "port", "number"],
          `${found.source} does not expose port ${port} (ports: ${found.ports.join(", ") || "none"}) for ${fqdn}`,
          { hint: found.ports.length ? `Use one of ports ${found.ports.join(", ")}.` : `Declare port ${port} on ${found.source}.` },
        );
      }
    });
  },
};
