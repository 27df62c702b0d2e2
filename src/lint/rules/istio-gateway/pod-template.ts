/**
 * What a workload's pods carry: labels and annotations of the Pod, or of the
 * pod template of a Deployment, StatefulSet or DaemonSet, and its container
 * ports. Read from the object as written; absent or malformed fields read as
 * empty.
 */
import type { Labels, Workload } from "../../../mesh/types.js";
import { labelMapOf } from "./label-selectors.js";

export interface PodTemplate {
  labels: Labels;
  annotations: Labels;
  /** Named container ports (`containerPort` by `name`), for Service `targetPort` names. */
  namedPorts: Map<string, number>;
  containerNames: string[];
}

export function podTemplate(w: Workload): PodTemplate {
  const object = w.res.object;
  const isPod = w.kind === "Pod";
  const spec = record(object["spec"]);
  const template = isPod ? object : record(spec?.["template"]);
  const metadata = record(template?.["metadata"]);
  const podSpec = isPod ? spec : record(template?.["spec"]);
  const namedPorts = new Map<string, number>();
  const containerNames: string[] = [];
  for (const c of array(podSpec?.["containers"])) {
    const containerName = record(c)?.["name"];
    if (typeof containerName === "string") containerNames.push(containerName);
    for (const p of array(record(c)?.["ports"])) {
      const port = record(p);
      const name = port?.["name"];
      const number = port?.["containerPort"];
      if (typeof name === "string" && typeof number === "number" && !namedPorts.has(name)) namedPorts.set(name, number);
    }
  }
  return {
    labels: isPod ? { ...w.res.labels } : (labelMapOf(metadata?.["labels"]) ?? {}),
    annotations: isPod ? { ...w.res.annotations } : (labelMapOf(metadata?.["annotations"]) ?? {}),
    namedPorts,
    containerNames,
  };
}

function record(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function array(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
