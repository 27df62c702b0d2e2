/**
 * The port the cluster sync, the live preview and drift detection talk to a
 * Kubernetes API server through. The adapter (src/adapters/kube) implements it
 * on @kubernetes/client-node; the core never sees HTTP, kubeconfigs or
 * retries. Every method either returns or throws a `ClusterError` whose
 * `failure` says what went wrong in terms a user can act on.
 */

/** What API discovery says about a kind. */
export interface ResourceInfo {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The REST resource name, e.g. `virtualservices`. */
  plural: string;
  namespaced: boolean;
}

/** An object as the API server returns it (metadata.managedFields included). */
export type LiveObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; resourceVersion?: string };
};

export interface LiveRef {
  apiVersion: string;
  kind: string;
  /** Absent or null for cluster-scoped kinds. */
  namespace?: string | null;
  name: string;
}

/** One field another manager owns that an apply would change (a `FieldManagerConflict` cause). */
export interface FieldConflict {
  /** The field manager that owns the field, e.g. `kubectl-edit`. */
  manager: string;
  /** The field path as the API server reports it, e.g. `.spec.http[0].route[0].weight`. */
  field: string;
  /** The API server's own message for this cause. */
  message: string;
}

export type ClusterFailure =
  /** 409 on apply: fields owned by other managers; apply again with force to take them over. */
  | { reason: "conflict"; message: string; conflicts: FieldConflict[] }
  /** Discovery does not list the kind in that API version: its CRD is not installed (or not that version). */
  | { reason: "kind-not-served"; message: string; apiVersion: string; kind: string }
  /** 400/422: the object is invalid; `causes` are the API server's field messages. */
  | { reason: "invalid"; message: string; causes: string[] }
  /** 401/403. */
  | { reason: "forbidden"; message: string }
  /** 404 of something that had to exist (a namespace, say). */
  | { reason: "not-found"; message: string }
  /** Connection refused, reset, TLS or DNS failure, timeout — after retries. */
  | { reason: "unreachable"; message: string }
  /** Any other API server answer, after retries for 429/5xx. */
  | { reason: "api-error"; status: number; message: string };

export class ClusterError extends Error {
  readonly failure: ClusterFailure;
  constructor(failure: ClusterFailure) {
    super(failure.message);
    this.name = "ClusterError";
    this.failure = failure;
  }
}

export interface ApplyOptions {
  /** `dryRun=All`: the server runs admission and defaulting and answers with the result, storing nothing. */
  dryRun: boolean;
  /** Take over fields other managers own instead of failing with a conflict. */
  force: boolean;
}

export interface ClusterPort {
  /** A name for people: the kubeconfig context or the cluster's name in meshplan.yaml. */
  readonly name: string;
  /** The field manager every apply uses (`meshplan`). */
  readonly fieldManager: string;
  /** Discovery for `apiVersion` + `kind`; null when the server does not serve it. Cached for the port's life. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | null>;
  /** Discovery by group and kind, at the group's preferred version that serves the kind; null when none does. */
  preferredResource(group: string, kind: string): Promise<ResourceInfo | null>;
  /**
   * Server-side apply (`application/apply-patch+yaml`) of a complete object with the port's field manager.
   * Throws `ClusterError` with reason `kind-not-served` (before sending anything) when discovery lacks the kind,
   * `conflict` when other managers own fields and `force` is false.
   */
  apply(object: Record<string, unknown>, options: ApplyOptions): Promise<LiveObject>;
  /** The live object, or null when it does not exist (or its kind is not served). */
  get(ref: LiveRef): Promise<LiveObject | null>;
  /** Every object of a resource in all namespaces matching a label selector, following `continue` tokens. */
  list(resource: ResourceInfo, labelSelector: string): Promise<LiveObject[]>;
  /** Deletes (background propagation); `existed: false` when it was already gone. */
  delete(ref: LiveRef, options: { dryRun: boolean }): Promise<{ existed: boolean }>;
}
