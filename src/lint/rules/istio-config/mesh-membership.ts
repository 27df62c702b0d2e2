/**
 * Whether a workload's pods run in the Istio mesh: with a sidecar (injected
 * by the webhook, or written into the pod spec by `istioctl kube-inject`) or
 * captured by ztunnel in ambient mode. Read from the pod (template) metadata
 * and the namespace labels in the tree.
 */
import type { MeshModel, Workload } from "../../../mesh/types.js";

export interface PodShape {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Containers and init containers (native sidecars are init containers). */
  containers: { name: string; image: string }[];
  /** spec.nodeName, when the pod is bound to a node. */
  nodeName: string | null;
}

/** The pod a workload runs: the Pod itself, or a controller's pod template. */
export function podShapeOf(w: Workload): PodShape {
  const obj = w.res.object;
  const isPod = w.kind === "Pod";
  const template = isPod ? obj : record(record(obj["spec"])["template"]);
  const meta = record(template["metadata"]);
  const spec = record(template["spec"]);
  const containers: PodShape["containers"] = [];
  for (const list of [spec["containers"], spec["initContainers"]]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      const container = record(c);
      containers.push({ name: str(container["name"]), image: str(container["image"]) });
    }
  }
  const nodeName = str(spec["nodeName"]);
  return { labels: strings(meta["labels"]), annotations: strings(meta["annotations"]), containers, nodeName: nodeName || null };
}

const INJECT = "sidecar.istio.io/inject";

/**
 * Sidecar injection as the injector webhooks decide it (istio.io "Installing
 * the Sidecar", "Controlling the injection policy"): a pod that already has
 * an `istio-proxy` container with an image is in the mesh (manual
 * injection); otherwise `sidecar.istio.io/inject: "false"` on the pod (label,
 * or the deprecated annotation) or `istio-injection=disabled` on the
 * namespace keeps it out; `"true"` on the pod, an injection-enabled namespace
 * (`istio-injection=enabled` or `istio.io/rev`), or an `istio.io/rev` label on
 * the pod in a namespace without `istio-injection` brings it in.
 */
export function sidecarInjected(model: MeshModel, w: Workload): boolean {
  const pod = podShapeOf(w);
  if (pod.containers.some((c) => c.name === "istio-proxy" && c.image !== "")) return true;
  const podSays = pod.labels[INJECT] ?? pod.annotations[INJECT];
  const ns = model.namespaces.get(w.namespace);
  const nsInjection = ns?.labels["istio-injection"];
  if (podSays === "false" || nsInjection === "disabled") return false;
  if (podSays === "true") return true;
  if (ns?.istioInjected) return true;
  return nsInjection === undefined && pod.labels["istio.io/rev"] !== undefined;
}

/**
 * Ambient enrolment (istio.io ambient "Adding workloads to the mesh"): the
 * `istio.io/dataplane-mode=ambient` label on the namespace or the pod, unless
 * the pod opts out with `istio.io/dataplane-mode=none`; a pod the CNI has
 * already captured carries `ambient.istio.io/redirection: enabled`.
 */
export function ambientEnrolled(model: MeshModel, w: Workload): boolean {
  const pod = podShapeOf(w);
  if (pod.annotations["ambient.istio.io/redirection"] === "enabled") return true;
  const podMode = pod.labels["istio.io/dataplane-mode"];
  if (podMode === "none") return false;
  if (podMode === "ambient") return true;
  return model.namespaces.get(w.namespace)?.labels["istio.io/dataplane-mode"] === "ambient";
}

/** In the mesh either way: a policy or subset can apply to it. */
export function inMesh(model: MeshModel, w: Workload): boolean {
  return sidecarInjected(model, w) || ambientEnrolled(model, w);
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(record(v))) if (typeof val === "string") out[k] = val;
  return out;
}
