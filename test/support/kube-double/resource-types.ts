/**
 * The API types the double serves: the core kinds meshplan touches, apps/v1
 * Deployment, and custom resources a test installs. Each type carries what
 * server-side apply needs to know about its schema (the list and map markers
 * of the API conventions: `+listType=map` with `+listMapKey`, `+listType=set`,
 * `+mapType=atomic`/`+structType=atomic`), in the field-name path form
 * `spec.template.spec.containers`.
 */

export interface KeyedList {
  keys: string[];
  /** Defaults the server applies to key fields, so `{port: 80}` and `{port: 80, protocol: TCP}` are one item (KEP-555: list map keys must be required or defaulted). */
  keyDefaults?: Record<string, string | number>;
}

export interface ObjectShape {
  keyedLists: Record<string, KeyedList>;
  setLists: string[];
  atomicMaps: string[];
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  shape: ObjectShape;
  /** `/status` is a subresource: writes to the main resource leave `status` alone. */
  statusSubresource: boolean;
  /** Whether `metadata.generation` is maintained (Deployments and custom resources; not Services or ConfigMaps). */
  tracksGeneration: boolean;
  custom: boolean;
}

export interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  singular?: string;
  shortNames?: string[];
  /** `subresources.status` in the CRD; off unless told. */
  statusSubresource?: boolean;
}

const metadataShape: ObjectShape = {
  keyedLists: { "metadata.ownerReferences": { keys: ["uid"] } },
  setLists: ["metadata.finalizers"],
  atomicMaps: [],
};

function shape(extra: Partial<ObjectShape>): ObjectShape {
  return {
    keyedLists: { ...metadataShape.keyedLists, ...extra.keyedLists },
    setLists: [...metadataShape.setLists, ...(extra.setLists ?? [])],
    atomicMaps: [...metadataShape.atomicMaps, ...(extra.atomicMaps ?? [])],
  };
}

const podSpec = "spec.template.spec";
const containerLists = (list: string): Record<string, KeyedList> => ({
  [`${podSpec}.${list}`]: { keys: ["name"] },
  [`${podSpec}.${list}.ports`]: { keys: ["containerPort", "protocol"], keyDefaults: { protocol: "TCP" } },
  [`${podSpec}.${list}.env`]: { keys: ["name"] },
  [`${podSpec}.${list}.volumeMounts`]: { keys: ["mountPath"] },
});

function builtIn(t: Omit<ResourceType, "custom" | "statusSubresource" | "tracksGeneration" | "shape"> & Partial<ResourceType>): ResourceType {
  return { shape: shape({}), statusSubresource: false, tracksGeneration: false, custom: false, ...t };
}

export function builtInTypes(): ResourceType[] {
  return [
    builtIn({
      group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace", namespaced: false, shortNames: ["ns"],
      shape: shape({ setLists: ["spec.finalizers"] }),
      statusSubresource: true,
    }),
    builtIn({
      group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true, shortNames: ["svc"],
      // core/v1 ServiceSpec: ports is +listType=map keyed by port and protocol; selector is +mapType=atomic.
      shape: shape({
        keyedLists: { "spec.ports": { keys: ["port", "protocol"], keyDefaults: { protocol: "TCP" } } },
        atomicMaps: ["spec.selector"],
      }),
      statusSubresource: true,
    }),
    builtIn({ group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount", namespaced: true, shortNames: ["sa"] }),
    builtIn({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true, shortNames: ["cm"] }),
    builtIn({ group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true, shortNames: [] }),
    builtIn({
      group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true, shortNames: ["deploy"],
      // apps/v1: LabelSelector is +structType=atomic; PodSpec lists keyed by name, volumeMounts by mountPath.
      shape: shape({
        keyedLists: { ...containerLists("containers"), ...containerLists("initContainers"), [`${podSpec}.volumes`]: { keys: ["name"] } },
        atomicMaps: ["spec.selector"],
      }),
      statusSubresource: true,
      tracksGeneration: true,
    }),
  ];
}

/**
 * A custom resource type. Without a structural schema the double treats the
 * object as untyped, which is what the API server does for fields under
 * `x-kubernetes-preserve-unknown-fields` and for lists without
 * `x-kubernetes-list-type`: maps are granular, every list is atomic.
 */
export function customType(crd: CrdDefinition): ResourceType {
  return {
    group: crd.group,
    version: crd.version,
    kind: crd.kind,
    plural: crd.plural,
    singular: crd.singular ?? crd.kind.toLowerCase(),
    namespaced: crd.namespaced,
    shortNames: crd.shortNames ?? [],
    shape: shape({}),
    statusSubresource: crd.statusSubresource ?? false,
    tracksGeneration: true,
    custom: true,
  };
}

export const apiVersionOf = (t: Pick<ResourceType, "group" | "version">) => (t.group ? `${t.group}/${t.version}` : t.version);
