/**
 * Whether a workload's pods run an Istio proxy, as the sidecar injector
 * webhooks decide it (istio.io "Installing the Sidecar", "Controlling the
 * injection policy"), and whether they are captured by ambient mode instead
 * (istio.io "Ambient: Add workloads to the mesh").
 */
import type { MeshModel, NamespaceInfo, Workload } from "../../../mesh/types.js";
import { podTemplate } from "./pod-template.js";

const INJECT = "sidecar.istio.io/inject";
const DATAPLANE_MODE = "istio.io/dataplane-mode";

/**
 * True when the pods get a sidecar, false when they do not, null when the
 * tree cannot tell (the namespace is not declared in it).
 *
 * - A pod label (or the older annotation) `sidecar.istio.io/inject: "false"`
 *   always wins; a container named `istio-proxy` is a sidecar injected by hand.
 * - `istio-injection=enabled` or an `istio.io/rev` namespace label inject
 *   (NamespaceInfo.istioInjected); any other `istio-injection` value opts the
 *   namespace out, and no pod label can opt back in.
 * - In an unlabelled namespace a pod opts in with the label
 *   `sidecar.istio.io/inject: "true"` or `istio.io/rev` (the webhooks' object
 *   selectors; the annotation form does not reach the webhook).
 */
export function workloadHasSidecar(w: Workload, model: MeshModel): boolean | null {
  const pod = podTemplate(w);
  const inject = pod.labels[INJECT] ?? pod.annotations[INJECT];
  if (inject !== undefined && inject.toLowerCase() === "false") return false;
  if (pod.containerNames.includes("istio-proxy")) return true;
  const ns = model.namespaces.get(w.namespace);
  if (!ns || !ns.declared) return null;
  if (ns.istioInjected) return true;
  if (ns.labels["istio-injection"] !== undefined) return false;
  return pod.labels[INJECT] === "true" || pod.labels["istio.io/rev"] !== undefined;
}

/**
 * istioctl `util.NamespaceInAmbientMode`: the namespace is labelled
 * `istio.io/dataplane-mode=ambient` and not also enabled for sidecar injection
 * (`istio-injection=enabled` or a non-empty `istio.io/rev`), which wins.
 */
export function namespaceInAmbientMode(ns: NamespaceInfo | undefined): boolean {
  if (!ns || !ns.declared) return false;
  if (ns.labels["istio-injection"] === "enabled") return false;
  const rev = ns.labels["istio.io/rev"];
  if (rev !== undefined && rev !== "") return false;
  return ns.labels[DATAPLANE_MODE] === "ambient";
}

/**
 * istioctl `util.PodInAmbientMode` reads the annotation
 * `ambient.istio.io/redirection: enabled`, which istio-cni sets on running
 * pods only. A manifest in git never carries it, so a workload also counts as
 * ambient when ambient mode would capture its pods: its namespace (or the pod
 * itself) is labelled `istio.io/dataplane-mode=ambient`, it does not opt out
 * with `istio.io/dataplane-mode=none`, and it gets no sidecar.
 */
export function workloadInAmbientMode(w: Workload, model: MeshModel): boolean {
  const pod = podTemplate(w);
  if (pod.annotations["ambient.istio.io/redirection"] === "enabled") return true;
  const mode = pod.labels[DATAPLANE_MODE];
  if (mode === "none") return false;
  if (mode !== "ambient" && !namespaceInAmbientMode(model.namespaces.get(w.namespace))) return false;
  return workloadHasSidecar(w, model) !== true;
}
