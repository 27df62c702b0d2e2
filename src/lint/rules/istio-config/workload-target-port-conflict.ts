import type { LintRule } from "../../rule.js";
import { POD_CONTROLLER_KINDS, serviceName, servicesOfMeshWorkloads } from "./services-of-workload.js";

/**
 * istioctl deployment.ServiceAssociationAnalyzer, IST0137 DeploymentConflictingPorts
 * (pkg/config/analysis/analyzers/deployment/services.go).
 */
export const workloadTargetPortConflict: LintRule = {
  code: "MP1073",
  title: "Services send different ports to one target port of a workload",
  severity: "warning",
  docs:
    "Two or more Services select the pods of the same mesh workload and forward different service ports to the same " +
    "`targetPort`. Istio keys the sidecar's inbound configuration by the target port and takes the service port and " +
    "its protocol from one of those Services only, so the other Service's traffic gets the wrong protocol and " +
    "settings. Services selecting the same workload with the same targetPort must use the same port.",
  equivalents: ["IST0137"],
  kinds: POD_CONTROLLER_KINDS,
  check(ctx) {
    for (const { workload, services } of servicesOfMeshWorkloads(ctx.model)) {
      // targetPort (as written, numbers as digits) -> service port -> Service declaring it (the last one, as istioctl keeps it).
      const targets = new Map<string, Map<number, string>>();
      for (const svc of services) {
        for (const p of svc.ports) {
          const written = p.targetPort === null ? "" : String(p.targetPort);
          // Kubernetes defaulting: an unset (or zero) targetPort is the port itself.
          const target = written === "" || written === "0" ? String(p.port) : written;
          let ports = targets.get(target);
          if (!ports) targets.set(target, (ports = new Map()));
          ports.set(p.port, serviceName(svc));
        }
      }
      for (const [target, ports] of targets) {
        if (ports.size < 2) continue;
        const names = [...new Set(ports.values())].sort();
        const numbers = [...ports.keys()].sort((a, b) => a - b);
        ctx.report(
          workload.res,
          ["spec", "template", "metadata", "labels"],
          `${workload.kind} ${workload.namespace}/${workload.name} is selected by Services ${names.join(", ")} that send ` +
            `ports ${numbers.join(", ")} to the same targetPort ${target}`,
          { hint: `Make every Service selecting these pods use one port for targetPort ${target}.` },
        );
      }
    }
  },
};
