/**
 * The Services that select a workload's pods, for workloads that run a
 * sidecar, as istioctl's deployment.ServiceAssociationAnalyzer considers them
 * (pkg/config/analysis/analyzers/deployment/services.go): pod controllers
 * (Deployments, StatefulSets, DaemonSets) in the mesh, except the waypoint
 * proxies Istio deploys itself, and the Services of their namespace whose
 * non-empty selector matches the pod template labels.
 */
import type { MeshModel, ServiceInfo, Workload } from "../../../mesh/types.js";
import { sidecarInjected } from "./mesh-membership.js";

export interface WorkloadServices {
  workload: Workload;
  /** Sorted by namespace/name. */
  services: ServiceInfo[];
}

export const POD_CONTROLLER_KINDS = ["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet"] as const;

export function servicesOfMeshWorkloads(model: MeshModel): WorkloadServices[] {
  const byWorkload = new Map<Workload, ServiceInfo[]>();
  for (const svc of model.services.values()) {
    for (const w of svc.workloads) {
      let list = byWorkload.get(w);
      if (!list) byWorkload.set(w, (list = []));
      list.push(svc);
    }
  }
  const out: WorkloadServices[] = [];
  for (const workload of model.workloads) {
    if (workload.kind === "Pod") continue;
    // Waypoints are Istio's own proxies; their Services are generated with them.
    if (workload.res.labels["gateway.istio.io/managed"] === "istio.io-mesh-controller") continue;
    if (!sidecarInjected(model, workload)) continue;
    const services = [...(byWorkload.get(workload) ?? [])].sort((a, b) => serviceName(a).localeCompare(serviceName(b)));
    out.push({ workload, services });
  }
  return out;
}

export function serviceName(svc: ServiceInfo): string {
  return `${svc.namespace}/${svc.name}`;
}
