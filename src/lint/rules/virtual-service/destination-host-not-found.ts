import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { hostMatches, resolveIstioHost } from "../../../mesh/hosts.js";
import type { LintRule } from "../../rule.js";
import { serviceRegistry } from "./service-registry.js";
import { virtualServiceDestinations } from "./virtual-service-destinations.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/**
 * istioctl virtualservice.DestinationHostAnalyzer (ReferencedResourceNotFound
 * "host" / "mirror host"): the destination must be a Service or ServiceEntry
 * host visible where the VirtualService is exported. Hosts on the
 * `externalHosts` allow-list are managed elsewhere and count as found.
 */
export const destinationHostNotFound: LintRule = {
  code: "MP1001",
  title: "destination host not found",
  severity: "error",
  docs:
    "A VirtualService route or mirror names a destination host that no Service or ServiceEntry in the tree " +
    "declares, or one whose `exportTo` (the `networking.istio.io/exportTo` annotation for a Service) hides it " +
    "from the namespaces the VirtualService is exported to. Istio has no cluster for that host: requests routed " +
    "there fail with 503 (no healthy upstream), and mirrored copies go nowhere. Hosts managed outside the " +
    "repository can be listed in `externalHosts`.",
  equivalents: ["IST0101"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    const registry = serviceRegistry(ctx.model);
    const external = ctx.options.externalHosts;
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      const exportTo = vs.obj.spec?.exportTo ?? [];
      for (const d of virtualServiceDestinations(vs.obj)) {
        const what = d.role === "mirror" ? "mirror host" : "destination host";
        const host = d.destination?.host ?? "";
        if (host === "") {
          ctx.report(vs.res, d.path, `this ${d.role === "mirror" ? "mirror" : "route entry"} names no destination host`, {
            hint: "Set `destination.host` to a Service or ServiceEntry host.",
          });
          continue;
        }
        if (registry.lookup(host, namespace, exportTo)) continue;
        const fqdn = resolveIstioHost(host, namespace, ctx.model.clusterDomain);
        if (external.some((p) => hostMatches(p, fqdn) || hostMatches(p, host))) continue;
        ctx.report(
          vs.res,
          [...d.path, "host"],
          `${what} ${fqdn} is not a Service or ServiceEntry visible to ${exportTo.length ? `the namespaces this VirtualService is exported to (${exportTo.join(", ")})` : `namespace ${namespace}`}`,
          {
            hint: `Add a Service or ServiceEntry for ${fqdn} (exported to ${namespace}), fix the host name, or list it in externalHosts if it is managed elsewhere.`,
          },
        );
      }
    });
  },
};
