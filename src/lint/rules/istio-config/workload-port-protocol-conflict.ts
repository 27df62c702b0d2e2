import type { LintRule } from "../../rule.js";
import { POD_CONTROLLER_KINDS, serviceName, servicesOfMeshWorkloads } from "./services-of-workload.js";

/**
 * istioctl deployment.ServiceAssociationAnalyzer, IST0116
 * DeploymentAssociatedToMultipleServices
 * (pkg/config/analysis/analyzers/deployment/services.go).
 */
export const workloadPortProtocolConflict: LintRule = {
  code: "MP1072",
  title: "Services selecting one workload give a port different protocols",
  severity: "warning",
  docs:
    "Two or more Services select the pods of the same mesh workload and declare the same port number with different " +
    "protocols (`protocol`, TCP when unset). The sidecar builds one inbound listener per port and can serve it with " +
    "only one protocol, so the traffic of one of the Services is handled with the wrong protocol and fails. Give the " +
    "Services distinct ports, or make them agree on the protocol.",
  equivalents: ["IST0116"],
  kinds: POD_CONTROLLER_KINDS,
  check(ctx) {
    for (const { workload, services } of servicesOfMeshWorkloads(ctx.model)) {
      // port -> protocol -> Services declaring it, in port order of first appearance.
      const ports = new Map<number, Map<string, string[]>>();
      for (const svc of services) {
        for (const p of svc.ports) {
          // Kubernetes defaulting: an unset protocol is TCP.
          const protocol = p.protocol || "TCP";
          let protocols = ports.get(p.port);
          if (!protocols) ports.set(p.port, (protocols = new Map()));
          const names = protocols.get(protocol) ?? [];
          names.push(serviceName(svc));
          protocols.set(protocol, names);
        }
      }
      for (const [port, protocols] of ports) {
        if (protocols.size < 2) continue;
        const detail = [...protocols].map(([protocol, names]) => `${names.join(", ")}: ${protocol}`).join("; ");
        ctx.report(
          workload.res,
          ["spec", "template", "metadata", "labels"],
          `${workload.kind} ${workload.namespace}/${workload.name} is selected by Services that declare port ${port} ` +
            `with different protocols (${detail}); its sidecar can serve port ${port} with only one of them`,
          { hint: `Use one protocol for port ${port} in every Service selecting these pods, or give the Services different ports.` },
        );
      }
    }
  },
};
