import type { LintRule } from "../../rule.js";
import { undeclaredServicePorts } from "./service-port-declarations.js";

/**
 * istioctl service.PortNameAnalyzer, IST0118 PortNameIsNotUnderNamingConvention
 * (pkg/config/analysis/analyzers/service/portname.go).
 */
export const servicePortProtocolUndeclared: LintRule = {
  code: "MP1070",
  title: "Service port declares no protocol",
  severity: "info",
  docs:
    "A Service port whose `appProtocol`, or else whose name up to the first `-`, is not a protocol Istio knows " +
    "(`http`, `http2`, `https`, `grpc`, `grpc-web`, `tcp`, `tls`, `mongo`, `mysql`, `redis`, `udp`, ...) declares " +
    "nothing to the proxies. Istio then sniffs the protocol of each connection: HTTP features (routes, retries, " +
    "metrics) work only if sniffing succeeds, it adds latency to the first bytes, and server-first protocols on such " +
    "a port time out waiting for the client. Ports 25, 53, 3306 and 27017 are exempt: Istio treats them as TCP.",
  equivalents: ["IST0118", "KIA0601"],
  kinds: ["/Service"],
  check(ctx) {
    for (const { service, index, port, externalName } of undeclaredServicePorts(ctx.model)) {
      if (externalName) continue;
      const where = port.appProtocol != null ? "appProtocol" : "name";
      const declared = port.appProtocol ?? port.name ?? null;
      ctx.report(
        service.res,
        ["spec", "ports", index, ...(declared !== null ? [where] : [])],
        `port ${port.port} of Service ${service.namespace}/${service.res.name} ` +
          (declared === null || declared === "" ? "has no name or appProtocol" : `${where === "name" ? "port name" : "appProtocol"} \`${declared}\` declares no protocol Istio knows`) +
          `, so Istio sniffs the protocol of every connection to it`,
        { hint: `Name the port \`<protocol>[-<suffix>]\` (for example \`http-web\`, \`grpc\`, \`tcp-db\`) or set appProtocol.` },
      );
    }
  },
};
