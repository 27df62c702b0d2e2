/**
 * What the API server adds to and checks in an object of a built-in kind:
 * defaulting (API conventions, "Defaulting"; the values are those of the
 * core/v1 and apps/v1 defaulters), status the controllers would write, and
 * the validation that refuses an object with 422 Invalid. Defaults only fill
 * what is missing, so running them twice changes nothing.
 */
import type { StatusCause } from "./kube-status.js";
import type { JsonObject, JsonValue } from "./json-value.js";
import { deepEqual, isObject } from "./json-value.js";
import type { ResourceType } from "./resource-types.js";

export interface DefaultingContext {
  allocateClusterIP(): string;
}

const obj = (parent: JsonObject, key: string): JsonObject => {
  const v = parent[key];
  if (isObject(v)) return v;
  const fresh: JsonObject = {};
  parent[key] = fresh;
  return fresh;
};

const setDefault = (target: JsonObject, key: string, value: JsonValue) => {
  if (target[key] === undefined || target[key] === null) target[key] = value;
};

export function applyDefaults(o: JsonObject, type: ResourceType, ctx: DefaultingContext): void {
  if (type.custom) return;
  const meta = obj(o, "metadata");
  switch (type.kind) {
    case "Namespace": {
      // Since v1.21 every namespace carries its name as an immutable label.
      obj(meta, "labels")["kubernetes.io/metadata.name"] = meta.name ?? null;
      setDefault(obj(o, "spec"), "finalizers", ["kubernetes"]);
      break;
    }
    case "Service": {
      const spec = obj(o, "spec");
      setDefault(spec, "type", "ClusterIP");
      setDefault(spec, "sessionAffinity", "None");
      if (spec.type !== "ExternalName") {
        setDefault(spec, "clusterIP", ctx.allocateClusterIP());
        setDefault(spec, "clusterIPs", spec.clusterIP === "None" ? ["None"] : [spec.clusterIP!]);
        setDefault(spec, "ipFamilies", ["IPv4"]);
        setDefault(spec, "ipFamilyPolicy", "SingleStack");
        setDefault(spec, "internalTrafficPolicy", "Cluster");
      }
      for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
        if (!isObject(port)) continue;
        setDefault(port, "protocol", "TCP");
        setDefault(port, "targetPort", port.port ?? null);
      }
      break;
    }
    case "Secret":
      setDefault(o, "type", "Opaque");
      break;
    case "Deployment": {
      const spec = obj(o, "spec");
      setDefault(spec, "replicas", 1);
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "progressDeadlineSeconds", 600);
      const strategy = obj(spec, "strategy");
      setDefault(strategy, "type", "RollingUpdate");
      if (strategy.type === "RollingUpdate") {
        const rolling = obj(strategy, "rollingUpdate");
        setDefault(rolling, "maxUnavailable", "25%");
        setDefault(rolling, "maxSurge", "25%");
      }
      const pod = obj(obj(spec, "template"), "spec");
      setDefault(pod, "restartPolicy", "Always");
      setDefault(pod, "terminationGracePeriodSeconds", 30);
      setDefault(pod, "dnsPolicy", "ClusterFirst");
      setDefault(pod, "securityContext", {});
      setDefault(pod, "schedulerName", "default-scheduler");
      for (const list of ["containers", "initContainers"]) {
        for (const c of Array.isArray(pod[list]) ? (pod[list] as JsonValue[]) : []) {
          if (!isObject(c)) continue;
          setDefault(c, "terminationMessagePath", "/dev/termination-log");
          setDefault(c, "terminationMessagePolicy", "File");
          const image = typeof c.image === "string" ? c.image : "";
          const tag = image.includes("@") ? "digest" : (image.split("/").pop() ?? "").split(":")[1];
          setDefault(c, "imagePullPolicy", tag === undefined || tag === "latest" ? "Always" : "IfNotPresent");
          for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObject(p)) setDefault(p, "protocol", "TCP");
        }
      }
      break;
    }
  }
}

/** Status as the controllers would report it once they have caught up: namespaces active, deployments available. */
export function refreshStatus(o: JsonObject, type: ResourceType, now: string): void {
  if (type.custom) return;
  const meta = obj(o, "metadata");
  switch (type.kind) {
    case "Namespace":
      o.status = { phase: "Active" };
      break;
    case "Service":
      o.status = { loadBalancer: {} };
      break;
    case "Deployment": {
      const replicas = (obj(o, "spec").replicas as number) ?? 1;
      const condition = (type: string, reason: string, message: string) => ({
        type, status: "True", lastUpdateTime: now, lastTransitionTime: now, reason, message,
      });
      o.status = {
        observedGeneration: meta.generation ?? 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          condition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability."),
          condition("Progressing", "NewReplicaSetAvailable", `ReplicaSet "${String(meta.name)}" has successfully progressed.`),
        ],
      };
      if (replicas === 0) o.status = { observedGeneration: meta.generation ?? 1 };
      break;
    }
  }
}

// API conventions, "Naming": DNS-1123 subdomains for most names, labels for Namespaces and Services.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const invalid = (field: string, value: JsonValue | undefined, detail: string): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});
const required = (field: string): StatusCause => ({ reason: "FieldValueRequired", message: "Required value", field });

/** The causes of a 422; empty when the object is valid. */
export function validate(o: JsonObject, type: ResourceType, old: JsonObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = isObject(o.metadata) ? o.metadata : {};
  const name = meta.name;
  const labelNames = type.kind === "Namespace" || type.kind === "Service";
  if (typeof name !== "string" || name === "") causes.push(required("metadata.name"));
  else if (name.length > (labelNames ? 63 : 253) || !(labelNames ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name)) {
    causes.push(invalid("metadata.name", name, labelNames
      ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
      : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
  }
  if (isObject(meta.labels)) {
    for (const [k, v] of Object.entries(meta.labels)) {
      if (!LABEL_NAME.test(k)) causes.push(invalid("metadata.labels", k, "name part must consist of alphanumeric characters, '-', '_' or '.'"));
      if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) causes.push(invalid("metadata.labels", v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'"));
    }
  }
  if (meta.annotations !== undefined && (!isObject(meta.annotations) || Object.values(meta.annotations).some((v) => typeof v !== "string"))) {
    causes.push(invalid("metadata.annotations", meta.annotations, "annotation values must be strings"));
  }
  if (type.custom) return causes;
  const spec = isObject(o.spec) ? o.spec : {};
  switch (type.kind) {
    case "Service": {
      const ports = Array.isArray(spec.ports) ? spec.ports : [];
      if (spec.type !== "ExternalName" && spec.clusterIP !== "None" && ports.length === 0) causes.push(required("spec.ports"));
      ports.forEach((p, i) => {
        const port = isObject(p) ? p.port : undefined;
        if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
          causes.push(port === undefined ? required(`spec.ports[${i}].port`) : invalid(`spec.ports[${i}].port`, port, "must be between 1 and 65535, inclusive"));
        }
        if (ports.length > 1 && !(isObject(p) && typeof p.name === "string" && p.name)) causes.push(required(`spec.ports[${i}].name`));
      });
      const oldSpec = old && isObject(old.spec) ? old.spec : undefined;
      if (oldSpec && typeof oldSpec.clusterIP === "string" && spec.clusterIP !== oldSpec.clusterIP) {
        causes.push(invalid("spec.clusterIPs[0]", spec.clusterIP, "may not change once set"));
      }
      break;
    }
    case "Deployment": {
      const selector = isObject(spec.selector) ? spec.selector : undefined;
      const template = isObject(spec.template) ? spec.template : {};
      const templateLabels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
      if (!selector) causes.push(required("spec.selector"));
      else {
        const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
        if (!Object.entries(matchLabels).every(([k, v]) => templateLabels[k] === v)) {
          causes.push(invalid("spec.template.metadata.labels", templateLabels, "`selector` does not match template `labels`"));
        }
        const oldSelector = old && isObject(old.spec) ? old.spec.selector : undefined;
        if (oldSelector !== undefined && !deepEqual(oldSelector, selector)) {
          causes.push(invalid("spec.selector", selector, "field is immutable"));
        }
      }
      const pod = isObject(template.spec) ? template.spec : {};
      const containers = Array.isArray(pod.containers) ? pod.containers : [];
      if (containers.length === 0) causes.push(required("spec.template.spec.containers"));
      containers.forEach((c, i) => {
        if (!isObject(c) || typeof c.name !== "string" || !c.name) causes.push(required(`spec.template.spec.containers[${i}].name`));
        if (!isObject(c) || typeof c.image !== "string" || !c.image) causes.push(required(`spec.template.spec.containers[${i}].image`));
      });
      if (typeof spec.replicas === "number" && spec.replicas < 0) causes.push(invalid("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
      break;
    }
  }
  return causes;
}
