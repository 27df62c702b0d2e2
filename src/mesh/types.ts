/** The mesh model: validated resources indexed for the routing engines. Pure data. */
import type { Finding } from "../findings.js";
import type { GroupKind, Resource } from "../manifests/types.js";

export type Labels = Record<string, string>;

/** A resource together with its schema-validated object (`obj` has the zod-inferred type). */
export interface Typed<T> {
  res: Resource;
  obj: T;
  /** Effective namespace: metadata.namespace, else the model's default namespace; null if cluster-scoped. */
  namespace: string | null;
}

export interface ServicePortInfo {
  name: string | null;
  port: number;
  targetPort: number | string | null;
  protocol: string;
  appProtocol: string | null;
}

export interface Workload {
  /** Deployment, StatefulSet, DaemonSet or Pod. */
  kind: string;
  name: string;
  namespace: string;
  /** Pod (template) labels. */
  labels: Labels;
  /** spec.serviceAccountName, "default" when unset (Kubernetes default). */
  serviceAccount: string;
  res: Resource;
}

export interface ServiceInfo {
  /** `name.namespace.svc.<clusterDomain>` */
  fqdn: string;
  name: string;
  namespace: string;
  type: string;
  /** null: no selector (endpoints managed elsewhere). */
  selector: Labels | null;
  externalName: string | null;
  ports: ServicePortInfo[];
  /** Workloads whose pod labels match the selector, in the same namespace. */
  workloads: Workload[];
  /** Distinct service accounts of those workloads, sorted. */
  serviceAccounts: string[];
  res: Resource;
}

export interface NamespaceInfo {
  name: string;
  labels: Labels;
  /** A Namespace object for it is in the tree. */
  declared: boolean;
  /** `istio-injection=enabled` or an `istio.io/rev` label (and not `istio-injection=disabled`). */
  istioInjected: boolean;
  istioRevision: string | null;
  /** Value of `openservicemesh.io/monitored-by`, the OSM mesh name. */
  osmMonitoredBy: string | null;
}

export interface MeshModel {
  readonly resources: readonly Resource[];
  /** Namespace assumed for resources that set none ("default", as kubectl would). */
  readonly defaultNamespace: string;
  /** "cluster.local" */
  readonly clusterDomain: string;
  /** Schema-valid resources of one kind, all versions, in load order. Invalid ones are left out (they have findings). */
  list<T>(gk: GroupKind): readonly Typed<T>[];
  get<T>(gk: GroupKind, namespace: string | null, name: string): Typed<T> | undefined;
  /** Kubernetes Services by FQDN. */
  readonly services: ReadonlyMap<string, ServiceInfo>;
  /** Every namespace named by a Namespace object or used by a resource. */
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  readonly workloads: readonly Workload[];
  /** Workloads in `namespace` whose pod labels include all of `selector` (an empty selector selects all). */
  workloadsMatching(namespace: string | null, selector: Labels): Workload[];
  /** Findings from validation (schema violations). */
  readonly findings: readonly Finding[];
}
