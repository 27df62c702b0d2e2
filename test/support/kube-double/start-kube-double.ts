/**
 * The Kubernetes API double over HTTPS on 127.0.0.1 and a port the system
 * picks (or the one asked for), with a kubeconfig (context `double`, the test
 * CA as certificate-authority-data, bearer token) that points kubectl or a
 * client library at it. The serving certificate and its CA are the test-only
 * ones in ./tls. A fresh double holds the namespaces a new cluster has:
 * default, kube-system, kube-public, kube-node-lease.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request as httpsRequest } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { stringify as toYaml } from "yaml";
import { ApiRegistry } from "./api-registry.js";
import { ClusterState } from "./cluster-state.js";
import type { ManagedFieldsEntry } from "./cluster-state.js";
import type { InjectedFailure, RecordedRequest } from "./kube-api-app.js";
import { createKubeApiApp } from "./kube-api-app.js";
import type { JsonObject } from "./json-value.js";
import { isObject } from "./json-value.js";
import type { CrdDefinition } from "./resource-types.js";
import { apiVersionOf } from "./resource-types.js";

export interface KubeDoubleOptions {
  /** The double's clock for timestamps. Defaults to the system clock. */
  now?: () => Date;
  /** What `/version` reports; kubectl warns when its own minor version is more than one away. */
  gitVersion?: string;
  /** Custom resources to serve from the start. */
  crds?: CrdDefinition[];
  /** The port to listen on; 0 (the default) lets the system pick a free one. */
  port?: number;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface FieldOwner {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsV1: JsonObject;
}

export interface KubeDouble {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** A kubeconfig file whose current context `double` points at `url`, trusting the test CA, with the double's token. */
  kubeconfigPath: string;
  /** The bearer token the double accepts. */
  token: string;
  /** The PEM of the test CA that signed the double's serving certificate. */
  ca: string;
  /** `fetch` for a path on the double over a connection that trusts the test CA; sends no credentials unless told. */
  fetch(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response>;
  installCrd(crd: CrdDefinition): void;
  /** Removes a CRD and, as the API server does, every object of it. */
  uninstallCrd(group: string, plural: string): void;
  /** The object as a GET returns it (managedFields included), or undefined. */
  object(ref: ObjectRef): JsonObject | undefined;
  /** Every stored object, optionally of one kind. */
  objects(filter?: { apiVersion?: string; kind?: string; namespace?: string }): JsonObject[];
  /** The managedFields entries of an object (empty when it does not exist). */
  fieldOwners(ref: ObjectRef): FieldOwner[];
  /** Creates an object directly, as an Update by `manager`, the way something outside the test would have. */
  seed(object: JsonObject, manager?: string): JsonObject;
  /** The current resourceVersion of the store. */
  resourceVersion(): string;
  /** Every request received, oldest first, with the status answered. */
  readonly requests: readonly RecordedRequest[];
  /** Answer the next matching requests with an API server error instead of handling them. */
  failNext(failure: InjectedFailure): void;
  /** Closes the listener: connections are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
  /** `await using double = await startKubeDouble()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

const initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

const tlsFile = (name: string) => readFile(new URL(`./tls/${name}`, import.meta.url), "utf8");

/** One request with node:https, whose CA can be set per request (global fetch's cannot). */
function fetchTrusting(ca: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
  return new Promise((resolve, reject) => {
    // The headers Node's global fetch adds, so a request reads the same to the double either way.
    const headers = { accept: "*/*", "user-agent": "node", ...init.headers };
    const req = httpsRequest(url, { method: init.method ?? "GET", headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const received = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) received.append(k, value);
        }
        const status = res.statusCode ?? 0;
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage ?? "", headers: received }));
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done, fail) => {
    server.close((err) => (err ? fail(err) : done()));
    // Keep-alive sockets from clients would hold close() open.
    server.closeAllConnections();
  });
}

export async function startKubeDouble(options: KubeDoubleOptions = {}): Promise<KubeDouble> {
  const now = options.now ?? (() => new Date());
  const registry = new ApiRegistry();
  for (const crd of options.crds ?? []) registry.installCrd(crd);
  const state = new ClusterState(now);
  const namespaceType = registry.byKind("v1", "Namespace")!;
  for (const name of initialNamespaces) state.seed(namespaceType, { metadata: { name } }, "kube-apiserver");
  const token = randomBytes(24).toString("base64url");
  const failures: InjectedFailure[] = [];
  const requests: RecordedRequest[] = [];
  const app = createKubeApiApp({ registry, state, token, gitVersion: options.gitVersion ?? "v1.32.0", now, failures, requests });

  const [ca, key, cert] = await Promise.all([tlsFile("ca.pem"), tlsFile("server-key.pem"), tlsFile("server.pem")]);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, hostname: "127.0.0.1", port: options.port ?? 0, createServer, serverOptions: { key, cert } },
      () => resolve(s as Server),
    ) as Server;
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), "kube-double-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  await writeFile(
    kubeconfigPath,
    toYaml({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "double", cluster: { server: url, "certificate-authority-data": Buffer.from(ca).toString("base64") } }],
      users: [{ name: "double", user: { token } }],
      contexts: [{ name: "double", context: { cluster: "double", user: "double", namespace: "default" } }],
      "current-context": "double",
    }),
    { mode: 0o600 },
  );

  const typeOf = (apiVersion: string, kind: string) => registry.byKind(apiVersion, kind);
  const find = (ref: ObjectRef) => {
    const type = typeOf(ref.apiVersion, ref.kind);
    if (!type) return undefined;
    const stored = state.find(type, type.namespaced ? (ref.namespace ?? "default") : undefined, ref.name);
    return stored;
  };
  let listening = true;
  const close = async () => {
    if (listening) {
      listening = false;
      await closeServer(server);
    }
    await rm(dir, { recursive: true, force: true });
  };

  return {
    url,
    kubeconfigPath,
    token,
    ca,
    fetch: (path, init = {}) => fetchTrusting(ca, url + path, init),
    installCrd: (crd) => void registry.installCrd(crd),
    uninstallCrd(group, plural) {
      for (const type of registry.uninstallCrd(group, plural)) {
        for (const { object } of state.all().filter((x) => x.type === type)) {
          const meta = object.metadata as JsonObject;
          state.delete(type, meta.namespace as string | undefined, String(meta.name), { dryRun: false });
        }
      }
    },
    object(ref) {
      const stored = find(ref);
      return stored ? state.render(stored) : undefined;
    },
    objects(filter = {}) {
      return state
        .all()
        .filter(({ type, object }) =>
          (!filter.apiVersion || apiVersionOf(type) === filter.apiVersion) &&
          (!filter.kind || type.kind === filter.kind) &&
          (!filter.namespace || (object.metadata as JsonObject).namespace === filter.namespace))
        .map(({ object }) => object);
    },
    fieldOwners(ref) {
      const stored = find(ref);
      return (stored?.managed ?? []).map((m: ManagedFieldsEntry) => ({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, time: m.time, fieldsV1: m.fields.toFieldsV1() }));
    },
    seed(object, manager) {
      const type = typeOf(String(object.apiVersion), String(object.kind));
      if (!type) throw new Error(`no type ${String(object.apiVersion)} ${String(object.kind)} is served; install its CRD first`);
      if (!isObject(object.metadata)) throw new Error("seed needs metadata.name");
      return state.seed(type, object, manager);
    },
    resourceVersion: () => state.resourceVersion,
    requests,
    failNext: (failure) => void failures.push({ ...failure }),
    async down() {
      if (!listening) return;
      listening = false;
      await closeServer(server);
    },
    up() {
      if (listening) return Promise.resolve();
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", reject);
          listening = true;
          resolve();
        });
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
