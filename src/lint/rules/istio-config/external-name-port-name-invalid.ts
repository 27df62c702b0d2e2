import type { LintRule } from "../../rule.js";
import { undeclaredServicePorts } from "./service-port-declarations.js";

/**
 * istioctl service.PortNameAnalyzer, IST0150 ExternalNameServiceTypeInvalidPortName
 * (pkg/config/analysis/analyzers/service/portname.go).
 */
export const externalNamePortNameInvalid: LintRule = {
  code: "MP1071",
  title: "ExternalName Service port name is invalid",
  severity: "warning",
  docs:
    "Istio turns an ExternalName Service into a DNS cluster for the external name, one per port, and needs each port's " +
    "protocol from its name or `appProtocol`. A port that declares no known protocol, or is named exactly `tcp`, is " +
    "forwarded as opaque TCP that the proxy cannot tell apart from other TCP traffic on that port: requests to it may " +
    "go to the wrong destination or be dropped. Name the port after its protocol with a suffix (`https-nginx`, " +
    "`tcp-db`).",
  equivalents: ["IST0150"],
  kinds: ["/Service"],
  check(ctx) {
    for (const { service, index, port, externalName } of undeclaredServicePorts(ctx.model)) {
      if (!externalName) continue;
      const declared = port.appProtocol ?? port.name ?? null;
      const field = port.appProtocol != null ? "appProtocol" : "name";
      ctx.report(
        service.res,
        ["spec", "ports", index, ...(declared !== null ? [field] : [])],
        `port ${port.port} of ExternalName Service ${service.namespace}/${service.res.name} ` +
          (declared === null || declared === "" ? "has no name" : `is named \`${declared}\``) +
          `: the proxy may not forward its TCP traffic to ${service.obj.spec?.externalName ?? "the external name"} correctly`,
        { hint: "Name the port `<protocol>-<suffix>` (for example `https-web` or `tcp-db`)." },
      );
    }
  },
};
