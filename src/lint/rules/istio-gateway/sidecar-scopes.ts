/**
 * Which workloads each Istio Sidecar resource applies to, as istioctl's
 * `sidecar.SelectorAnalyzer` (pkg/config/analysis/analyzers/sidecar/selector.go)
 * groups them: a Sidecar with `workloadSelector.labels` applies to the
 * matching pods of its own namespace; one without (or with empty labels) is
 * the namespace-wide default.
 */
import type { Sidecar } from "../../../manifests/schemas/istio.js";
import type { Labels, MeshModel, Typed, Workload } from "../../../mesh/types.js";

export const ISTIO_SIDECAR = "networking.istio.io/Sidecar" as const;

export interface SelectingSidecar {
  sidecar: Typed<Sidecar>;
  namespace: string;
  selector: Labels;
  workloads: Workload[];
}

export interface SidecarScopes {
  selecting: SelectingSidecar[];
  /** Namespace -> its Sidecars without a workload selector, in load order. */
  namespaceWide: Map<string, Typed<Sidecar>[]>;
  /** Workload -> the selecting Sidecars that apply to it, in load order. */
  byWorkload: Map<Workload, Typed<Sidecar>[]>;
}

export function sidecarScopes(model: MeshModel): SidecarScopes {
  const selecting: SelectingSidecar[] = [];
  const namespaceWide = new Map<string, Typed<Sidecar>[]>();
  const byWorkload = new Map<Workload, Typed<Sidecar>[]>();
  for (const sidecar of model.list<Sidecar>(ISTIO_SIDECAR)) {
    const namespace = sidecar.namespace ?? model.defaultNamespace;
    const selector = sidecar.obj.spec?.workloadSelector?.labels ?? {};
    if (Object.keys(selector).length === 0) {
      let list = namespaceWide.get(namespace);
      if (!list) namespaceWide.set(namespace, (list = []));
      list.push(sidecar);
      continue;
    }
    const workloads = model.workloadsMatching(namespace, selector);
    selecting.push({ sidecar, namespace, selector, workloads });
    for (const w of workloads) {
      let list = byWorkload.get(w);
      if (!list) byWorkload.set(w, (list = []));
      list.push(sidecar);
    }
  }
  return { selecting, namespaceWide, byWorkload };
}

export function sidecarName(s: Typed<Sidecar>, model: MeshModel): string {
  return `${s.namespace ?? model.defaultNamespace}/${s.res.name}`;
}
