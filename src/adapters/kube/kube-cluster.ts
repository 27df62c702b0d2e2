/**
 * `ClusterPort` on a Kubernetes API server, through @kubernetes/client-node's
 * kubeconfig handling and request pipeline (see kube-transport.ts).
 *
 * - apply is server-side apply (`application/apply-patch+yaml`) with the
 *   port's field manager; the kind is checked against discovery first so a
 *   missing CRD is reported as such instead of as the server's bare 404.
 * - Requests are retried in one place (kube-retry.ts); failures become
 *   `ClusterError`s (kube-failure.ts) whose texts never hold the
 *   kubeconfig's token or password.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { KubeConfig } from "@kubernetes/client-node";
import { PatchStrategy } from "@kubernetes/client-node";
import type { ApplyOptions, ClusterFailure, ClusterPort, LiveObject, LiveRef, ResourceInfo } from "../../cluster/cluster-port.js";
import { ClusterError } from "../../cluster/cluster-port.js";
import { KubeConfigError } from "./kube-config.js";
import { KubeDiscovery, groupVersionPath } from "./kube-discovery.js";
import { answerFailure, redacted, statusOf, transportFailure } from "./kube-failure.js";
import { defaultRetryPolicy, retrying } from "./kube-retry.js";
import type { RetryPolicy } from "./kube-retry.js";
import type { KubeRequest, KubeResponse } from "./kube-transport.js";
import { KubeTransportError, kubeTransport } from "./kube-transport.js";

export { KubeConfigError, kubeConfigFromFile, kubeConfigFromString, kubeConfigInCluster } from "./kube-config.js";

export interface KubeClusterOptions {
  /** The cluster's name for people: its name in meshplan.yaml or the kubeconfig context. */
  name: string;
  /** The field manager of every apply (default `meshplan`). */
  fieldManager?: string;
  retry?: RetryPolicy;
  /** How `Retry-After` is waited out; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Bound on one request (default 30 s); a request that times out counts as a connection failure and is retried. */
  requestTimeoutMs?: number;
}

/** Items per LIST page: large enough for few round trips, small enough to keep one answer well under the server's limits. */
export const listPageSize = 500;

export function createKubeCluster(kc: KubeConfig, options: KubeClusterOptions): ClusterPort {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeConfigError(`cluster "${options.name}": the kubeconfig's current context names no cluster`);
  if (cluster.server.startsWith("http:") && !cluster.skipTLSVerify) {
    throw new KubeConfigError(`cluster "${options.name}": the server ${cluster.server} is plain HTTP; meshplan sends credentials over HTTPS only`);
  }
  const name = options.name;
  const fieldManager = options.fieldManager ?? "meshplan";
  const policy = options.retry ?? defaultRetryPolicy();
  const server = describeServer(cluster.server);
  const user = kc.getCurrentUser();
  const secrets = [user?.token, user?.password].filter((s): s is string => typeof s === "string" && s.length > 0);
  const defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace || "default";
  const send = retrying(kubeTransport(kc, options.requestTimeoutMs ?? 30_000), policy, options.sleep ?? ((ms) => delay(ms)));

  const fail = (failure: ClusterFailure): ClusterError => new ClusterError(redacted(failure, secrets));

  async function exchange(request: KubeRequest): Promise<KubeResponse> {
    try {
      return await send(request);
    } catch (err) {
      if (err instanceof KubeTransportError) throw fail(transportFailure(err, name, server, err.failure === "connection" ? policy.retries + 1 : 1));
      throw err;
    }
  }

  const ok = (response: KubeResponse) => response.status >= 200 && response.status < 300;
  const json = <T>(response: KubeResponse): T => JSON.parse(response.text) as T;

  const discovery = new KubeDiscovery(async (path, subject) => {
    const response = await exchange({ method: "GET", path });
    if (response.status === 404) return null;
    if (!ok(response)) throw fail(answerFailure(response, name, subject));
    return json(response);
  });

  const namespaceOf = (info: ResourceInfo, namespace: string | null | undefined) => (info.namespaced ? namespace || defaultNamespace : undefined);
  const objectPath = (info: ResourceInfo, namespace: string | undefined, objectName: string) =>
    `${groupVersionPath(info.group, info.version)}${namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : ""}/${info.plural}/${encodeURIComponent(objectName)}`;
  const subjectOf = (kind: string, namespace: string | undefined, objectName: string) => `${kind} ${namespace !== undefined ? `${namespace}/` : ""}${objectName}`;

  return {
    name,
    fieldManager,
    resourceFor: (apiVersion, kind) => discovery.resourceFor(apiVersion, kind),
    preferredResource: (group, kind) => discovery.preferredResource(group, kind),

    async apply(object: Record<string, unknown>, options: ApplyOptions): Promise<LiveObject> {
      const { apiVersion, kind, metadata } = identify(object, name);
      const info = await discovery.resourceFor(apiVersion, kind);
      if (!info) {
        throw fail({
          reason: "kind-not-served",
          apiVersion,
          kind,
          message: `${kind} (${apiVersion}) is not served by cluster "${name}": install its CustomResourceDefinition first`,
        });
      }
      const namespace = namespaceOf(info, metadata.namespace as string | undefined);
      // The path names the namespace; the body must agree with it, and a cluster-scoped object has none.
      const { namespace: _ignored, ...rest } = metadata;
      const body = { ...object, metadata: namespace !== undefined ? { ...rest, namespace } : rest };
      const response = await exchange({
        method: "PATCH",
        path: objectPath(info, namespace, metadata.name),
        query: { fieldManager, force: options.force ? "true" : undefined, dryRun: options.dryRun ? "All" : undefined },
        contentType: PatchStrategy.ServerSideApply,
        // JSON is YAML, and keeps what the object holds exactly.
        body: JSON.stringify(body),
      });
      if (!ok(response)) throw fail(answerFailure(response, name, subjectOf(kind, namespace, metadata.name)));
      return json<LiveObject>(response);
    },

    async get(ref: LiveRef): Promise<LiveObject | null> {
      const info = await discovery.resourceFor(ref.apiVersion, ref.kind);
      if (!info) return null;
      const namespace = namespaceOf(info, ref.namespace);
      const response = await exchange({ method: "GET", path: objectPath(info, namespace, ref.name) });
      if (response.status === 404) return null;
      if (!ok(response)) throw fail(answerFailure(response, name, subjectOf(ref.kind, namespace, ref.name)));
      return json<LiveObject>(response);
    },

    async list(resource: ResourceInfo, labelSelector: string): Promise<LiveObject[]> {
      const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
      const subject = `the ${resource.kind} list${labelSelector ? ` (${labelSelector})` : ""}`;
      const path = `${groupVersionPath(resource.group, resource.version)}/${resource.plural}`;
      let restarted = false;
      let items: LiveObject[] = [];
      let token: string | undefined;
      for (;;) {
        const response = await exchange({ method: "GET", path, query: { labelSelector: labelSelector || undefined, limit: String(listPageSize), continue: token } });
        // 410 Expired: the continue token outlived the server's history; a consistent list must start again.
        if (response.status === 410 && token !== undefined && !restarted && statusOf(response).reason === "Expired") {
          [restarted, items, token] = [true, [], undefined];
          continue;
        }
        if (!ok(response)) throw fail(answerFailure(response, name, subject));
        const page = json<{ items?: Record<string, unknown>[]; metadata?: { continue?: string } }>(response);
        // Items of built-in kinds come without apiVersion and kind; the list's type says what they are.
        for (const item of page.items ?? []) items.push({ apiVersion, kind: resource.kind, ...item } as LiveObject);
        token = page.metadata?.continue || undefined;
        if (token === undefined) break;
      }
      return items;
    },

    async delete(ref: LiveRef, options: { dryRun: boolean }): Promise<{ existed: boolean }> {
      const info = await discovery.resourceFor(ref.apiVersion, ref.kind);
      if (!info) return { existed: false };
      const namespace = namespaceOf(info, ref.namespace);
      const response = await exchange({
        method: "DELETE",
        path: objectPath(info, namespace, ref.name),
        query: { dryRun: options.dryRun ? "All" : undefined },
        contentType: "application/json",
        body: JSON.stringify({ apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" }),
      });
      if (response.status === 404) return { existed: false };
      if (!ok(response)) throw fail(answerFailure(response, name, subjectOf(ref.kind, namespace, ref.name)));
      return { existed: true };
    },
  };
}

/** apiVersion, kind and metadata.name are what an object needs to be applied at all. */
function identify(object: Record<string, unknown>, cluster: string): { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string } } {
  const { apiVersion, kind, metadata } = object;
  const meta = (typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) ? metadata : {}) as Record<string, unknown>;
  const missing = [
    typeof apiVersion === "string" && apiVersion ? undefined : "apiVersion",
    typeof kind === "string" && kind ? undefined : "kind",
    typeof meta.name === "string" && meta.name ? undefined : "metadata.name",
    meta.namespace === undefined || typeof meta.namespace === "string" ? undefined : "metadata.namespace",
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    const causes = missing.map((field) => `${field}: Required value: must be a non-empty string`);
    throw new ClusterError({ reason: "invalid", message: `cannot apply an object to cluster "${cluster}" without a string ${missing.join(", ")}`, causes });
  }
  return { apiVersion: apiVersion as string, kind: kind as string, metadata: meta as Record<string, unknown> & { name: string } };
}

/** The server's address without any credentials a URL could carry. */
function describeServer(server: string): string {
  try {
    const url = new URL(server);
    return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return "the API server";
  }
}
