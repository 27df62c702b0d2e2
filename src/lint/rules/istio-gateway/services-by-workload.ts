/**
 * Which Services select a workload: the model already resolves every
 * Service's selector to its workloads (same namespace, Kubernetes label
 * selection); this inverts that index.
 */
import type { MeshModel, ServiceInfo, Workload } from "../../../mesh/types.js";

export function servicesByWorkload(model: MeshModel): Map<Workload, ServiceInfo[]> {
  const out = new Map<Workload, ServiceInfo[]>();
  for (const svc of model.services.values()) {
    for (const w of svc.workloads) {
      let list = out.get(w);
      if (!list) out.set(w, (list = []));
      list.push(svc);
    }
  }
  return out;
}
