/**
 * The HTTP face of the double: a hono app answering the Kubernetes REST paths
 * (API conventions, "Resources" and "Verbs on Resources") with JSON and
 * metav1.Status errors. Authentication, as an API server with anonymous
 * auth on and the default RBAC: a request with a wrong token is refused with
 * 401; one without credentials is system:anonymous, which the
 * system:public-info-viewer ClusterRole lets read /version, /healthz, /livez
 * and /readyz and nothing else (403). The double serves HTTPS, so clients
 * send the bearer token everywhere, as they do to a real cluster.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { parse as parseYaml } from "yaml";
import type { ApiRegistry } from "./api-registry.js";
import type { ClusterState, PatchType } from "./cluster-state.js";
import type { JsonObject, JsonValue } from "./json-value.js";
import { isObject } from "./json-value.js";
import { KubeApiError, kubeErrors } from "./kube-status.js";
import { openApiGroupVersion, openApiRoot, openApiV2Json, openApiV2Protobuf } from "./openapi-documents.js";
import type { ResourceType } from "./resource-types.js";
import { apiVersionOf } from "./resource-types.js";

export interface InjectedFailure {
  /** 410, 429, 500, 503 or 504; the body is the Status the API server sends for it (410: an expired continue token). */
  status: number;
  /** How many matching requests fail; 1 unless told. */
  times?: number;
  method?: string;
  /** Matched against the path: a prefix string or a pattern. */
  path?: string | RegExp;
  /** Query parameters the request must carry: the exact value, or a pattern it matches. */
  query?: Record<string, string | RegExp>;
  /** Sent as `Retry-After` (and `details.retryAfterSeconds`); client-go retries a 429/5xx only when it is present. */
  retryAfterSeconds?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  accept: string | undefined;
  userAgent: string | undefined;
  status: number;
}

export interface KubeApiAppOptions {
  registry: ApiRegistry;
  state: ClusterState;
  token: string;
  gitVersion: string;
  now: () => Date;
  failures: InjectedFailure[];
  requests: RecordedRequest[];
}

const BODY_LIMIT = 3 * 1024 * 1024;
/** The non-resource URLs of the system:public-info-viewer ClusterRole, bound to system:unauthenticated. */
const publicInfoPaths = new Set(["/version", "/healthz", "/livez", "/readyz"]);
const PATCH_TYPES: Record<string, PatchType> = {
  "application/apply-patch+yaml": "apply",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/json-patch+json": "json",
};

function statusResponse(c: Context, err: KubeApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(err.status, err.status.code as 400);
}

function failureFor(f: InjectedFailure): KubeApiError {
  const retry = f.retryAfterSeconds;
  const headers: Record<string, string> = retry !== undefined ? { "retry-after": String(retry) } : {};
  switch (f.status) {
    case 410:
      return kubeErrors.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
    case 429:
      return kubeErrors.tooManyRequests(retry ?? 1);
    case 503:
      return new KubeApiError(503, "ServiceUnavailable", "the server is currently unable to handle the request", retry !== undefined ? { retryAfterSeconds: retry } : undefined, headers);
    case 504:
      return new KubeApiError(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request", undefined, headers);
    default: {
      const err = kubeErrors.internalError();
      return new KubeApiError(f.status, "InternalError", err.message, err.status.details, headers);
    }
  }
}

interface MediaType {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: "application/json", params: {} }];
  return header.split(",").map((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim());
    return { type: type!.toLowerCase(), params: Object.fromEntries(params.map((p) => p.split("=").map((s) => s.trim()) as [string, string])) };
  });
}

type Representation = "object" | "table" | "metadata";

/** The first representation in the client's Accept list that the double can produce (406 otherwise). */
function negotiate(accept: string | undefined, allowTable: boolean): Representation {
  for (const m of parseAccept(accept)) {
    if (!["application/json", "application/*", "*/*"].includes(m.type)) continue;
    const as = m.params.as;
    if (as === undefined) {
      // Plain JSON; aggregated discovery (g=apidiscovery.k8s.io) is not served and so is skipped.
      if (m.params.g) continue;
      return "object";
    }
    if (m.params.g !== "meta.k8s.io" || (m.params.v !== "v1" && m.params.v !== undefined)) continue;
    if ((as === "Table" || as === "TableList") && allowTable) return "table";
    if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return "metadata";
  }
  throw kubeErrors.notAcceptable(["application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"]);
}

function age(created: string | undefined, now: Date): string {
  if (!created) return "<unknown>";
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const partialMetadata = (o: JsonObject): JsonObject => ({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata! });

/** meta.k8s.io/v1 Table with the columns a type without printer columns gets: Name and Age. */
function table(items: JsonObject[], listMeta: JsonObject, includeObject: string | undefined, now: Date): JsonObject {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
      { name: "Age", type: "string", format: "", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0 },
    ],
    rows: items.map((o) => {
      const meta = o.metadata as JsonObject;
      const object = includeObject === "None" ? undefined : includeObject === "Object" ? o : partialMetadata(o);
      return { cells: [meta.name!, age(meta.creationTimestamp as string | undefined, now)], ...(object ? { object } : {}) };
    }),
  };
}

function parseBody(text: string, contentType: string, yamlAllowed: boolean): JsonValue {
  if (text.trim() === "") throw kubeErrors.badRequest("the body of the request was empty");
  try {
    return (yamlAllowed ? parseYaml(text) : JSON.parse(text)) as JsonValue;
  } catch (err) {
    throw kubeErrors.badRequest(`error decoding ${yamlAllowed ? "YAML" : "JSON"} (${contentType}): ${(err as Error).message}`);
  }
}

function writeOptions(q: Record<string, string>, userAgent: string | undefined, dryRuns: string[]) {
  for (const d of dryRuns) if (d !== "All") throw kubeErrors.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  const fv = q.fieldValidation;
  if (fv !== undefined && !["Ignore", "Warn", "Strict"].includes(fv)) {
    throw kubeErrors.badRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  }
  const fieldManager = q.fieldManager;
  if (fieldManager !== undefined && (fieldManager.length > 128 || !/^[\x20-\x7e]*$/.test(fieldManager))) {
    throw new KubeApiError(422, "Invalid", "fieldManager: Invalid value: must be at most 128 printable characters", { causes: [{ reason: "FieldValueInvalid", message: "Invalid value", field: "fieldManager" }] });
  }
  return { fieldManager, dryRun: dryRuns.length > 0, userAgent };
}

export function createKubeApiApp(o: KubeApiAppOptions): Hono {
  const { registry, state } = o;
  const app = new Hono();

  app.all("*", async (c) => {
    const url = new URL(c.req.url);
    const query = Object.fromEntries(url.searchParams);
    let status = 200;
    const record = () =>
      o.requests.push({
        method: c.req.method, path: url.pathname, query, contentType: c.req.header("content-type"), accept: c.req.header("accept"), userAgent: c.req.header("user-agent"), status,
      });
    try {
      const failure = o.failures.find(
        (f) =>
          (!f.method || f.method.toUpperCase() === c.req.method) &&
          (!f.path || (typeof f.path === "string" ? url.pathname.startsWith(f.path) : f.path.test(url.pathname))) &&
          Object.entries(f.query ?? {}).every(([k, want]) => {
            const got = url.searchParams.get(k);
            return got !== null && (typeof want === "string" ? got === want : want.test(got));
          }),
      );
      if (failure) {
        failure.times = (failure.times ?? 1) - 1;
        if (failure.times <= 0) o.failures.splice(o.failures.indexOf(failure), 1);
        throw failureFor(failure);
      }
      const authorization = c.req.header("authorization");
      if (authorization !== undefined && authorization !== `Bearer ${o.token}`) throw kubeErrors.unauthorized();
      if (authorization === undefined && !publicInfoPaths.has(url.pathname.replace(/(.)\/+$/, "$1"))) {
        throw kubeErrors.forbiddenAnonymous(c.req.method.toLowerCase(), url.pathname);
      }
      const res = await route(c, url);
      status = res.status;
      return res;
    } catch (err) {
      if (!(err instanceof KubeApiError)) throw err;
      status = err.status.code;
      return statusResponse(c, err);
    } finally {
      record();
    }
  });

  async function route(c: Context, url: URL): Promise<Response> {
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = c.req.method;
    if (path === "/version") {
      const [, major, minor] = /^v(\d+)\.(\d+)/.exec(o.gitVersion) ?? [];
      return c.json({
        major, minor, gitVersion: o.gitVersion, gitCommit: "0000000000000000000000000000000000000000", gitTreeState: "clean",
        buildDate: "2024-12-11T00:00:00Z", goVersion: "go1.23.4", compiler: "gc", platform: "linux/amd64",
      });
    }
    if (path === "/healthz" || path === "/livez" || path === "/readyz") return c.text("ok");
    if (path === "/api") return c.json(registry.apiVersions(url.host));
    if (path === "/apis") return c.json(registry.apiGroupList());
    if (path === "/openapi/v3") return c.json(openApiRoot(registry));
    if (path === "/openapi/v2") {
      const accept = parseAccept(c.req.header("accept"));
      if (accept.some((m) => m.type === "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")) {
        // The server answers with the "."-spelling of the type it was asked for in "@"-spelling: Go's mime parser refuses "@".
        return c.body(openApiV2Protobuf, 200, { "content-type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" });
      }
      return c.json(openApiV2Json());
    }
    const oa = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (oa) {
      const doc = openApiGroupVersion(registry, oa[2] ?? "", oa[1] ?? oa[3]!);
      if (!doc) throw kubeErrors.noRoute();
      return c.json(doc);
    }

    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === "api" && segments.length >= 2) {
      [group, version, rest] = ["", segments[1]!, segments.slice(2)];
    } else if (segments[0] === "apis" && segments.length >= 2) {
      if (segments.length === 2) {
        const doc = registry.apiGroup(segments[1]!);
        if (!doc) throw kubeErrors.noRoute();
        return c.json(doc);
      }
      [group, version, rest] = [segments[1]!, segments[2]!, segments.slice(3)];
    } else throw kubeErrors.noRoute();

    if (rest.length === 0) {
      const doc = registry.apiResourceList(group, version);
      if (!doc) throw kubeErrors.noRoute();
      return c.json(doc);
    }

    // /namespaces/{ns}/{plural}[/{name}[/{subresource}]] for namespaced types, /{plural}[/{name}] otherwise.
    let type: ResourceType | undefined;
    let namespace: string | undefined;
    let name: string | undefined;
    let subresource: string | undefined;
    const nsType = rest[0] === "namespaces" && rest.length >= 3 ? registry.resource(group, version, rest[2]!) : undefined;
    if (nsType?.namespaced) {
      [type, namespace, name, subresource] = [nsType, rest[1], rest[3], rest[4]];
      if (rest.length > 5) throw kubeErrors.noRoute();
    } else {
      type = registry.resource(group, version, rest[0]!);
      [name, subresource] = [rest[1], rest[2]];
      if (rest.length > 3) throw kubeErrors.noRoute();
    }
    if (!type) throw kubeErrors.noRoute();
    // No subresources (status, scale) are served.
    if (subresource !== undefined) throw kubeErrors.noRoute();
    if (!type.namespaced && namespace !== undefined) throw kubeErrors.noRoute();

    const q = Object.fromEntries(url.searchParams);
    const dryRuns = url.searchParams.getAll("dryRun");
    if (q.watch === "true" || q.watch === "1") {
      throw kubeErrors.methodNotSupported({ group: type.group, resource: type.plural }, "watch");
    }
    if (method === "GET") {
      const representation = negotiate(c.req.header("accept"), true);
      if (name === undefined) {
        const limit = q.limit !== undefined ? Number(q.limit) : undefined;
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw kubeErrors.badRequest(`limit: Invalid value: ${q.limit}`);
        const list = state.list(type, namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit, continue: q.continue });
        const listMeta: JsonObject = { resourceVersion: list.resourceVersion, ...(list.continue ? { continue: list.continue, remainingItemCount: list.remainingItemCount! } : {}) };
        if (representation === "table") return c.json(table(list.items, listMeta, q.includeObject, o.now()));
        if (representation === "metadata") {
          return c.json({ kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata: listMeta, items: list.items.map(partialMetadata) });
        }
        const items = type.custom ? list.items : list.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
        return c.json({ apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: listMeta, items });
      }
      const obj = state.get(type, namespace, name);
      if (representation === "table") return c.json(table([obj], { resourceVersion: (obj.metadata as JsonObject).resourceVersion! }, q.includeObject, o.now()));
      return c.json(representation === "metadata" ? partialMetadata(obj) : obj);
    }

    negotiate(c.req.header("accept"), false);
    const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const text = method === "DELETE" || method === "POST" || method === "PUT" || method === "PATCH" ? await c.req.text() : "";
    if (Buffer.byteLength(text) > BODY_LIMIT) throw new KubeApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${BODY_LIMIT}`);
    const opts = writeOptions(q, c.req.header("user-agent"), dryRuns);

    if (method === "POST" && name === undefined) {
      if (contentType !== "application/json" && contentType !== "application/yaml") throw kubeErrors.unsupportedMediaType(contentType, ["application/json", "application/yaml"]);
      const body = parseBody(text, contentType, contentType === "application/yaml");
      if (!isObject(body)) throw kubeErrors.badRequest("the body of the request was not an object");
      return c.json(state.create(type, namespace, body, opts), 201);
    }
    if (name === undefined) throw kubeErrors.methodNotSupported({ group: type.group, resource: type.plural }, method === "DELETE" ? "deletecollection" : method.toLowerCase());
    if (method === "PUT") {
      if (contentType !== "application/json" && contentType !== "application/yaml") throw kubeErrors.unsupportedMediaType(contentType, ["application/json", "application/yaml"]);
      const body = parseBody(text, contentType, contentType === "application/yaml");
      if (!isObject(body)) throw kubeErrors.badRequest("the body of the request was not an object");
      return c.json(state.update(type, namespace, name, body, opts));
    }
    if (method === "PATCH") {
      const patchType = PATCH_TYPES[contentType];
      // Custom resources have no Go types to carry patch strategies, so the server refuses strategic merge patch for them.
      const accepted = Object.keys(PATCH_TYPES).filter((m) => !(type.custom && m === "application/strategic-merge-patch+json"));
      if (!patchType || !accepted.includes(contentType)) throw kubeErrors.unsupportedMediaType(contentType, accepted);
      const force = q.force === "true" || q.force === "1";
      if (q.force !== undefined && patchType !== "apply") {
        throw new KubeApiError(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
          group: "meta.k8s.io", kind: "PatchOptions", causes: [{ reason: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch", field: "force" }],
        });
      }
      const body = parseBody(text, contentType, patchType === "apply");
      const created = patchType === "apply" && !state.find(type, namespace, name);
      return c.json(state.patch(type, namespace, name, patchType, body, { ...opts, force }), created ? 201 : 200);
    }
    if (method === "DELETE") {
      const options = text.trim() ? parseBody(text, contentType || "application/json", false) : {};
      if (!isObject(options)) throw kubeErrors.badRequest("DeleteOptions must be an object");
      const policy = options.propagationPolicy ?? q.propagationPolicy;
      if (policy !== undefined && !["Orphan", "Background", "Foreground"].includes(String(policy))) {
        throw new KubeApiError(422, "Invalid", `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
      }
      const bodyDryRun = Array.isArray(options.dryRun) ? options.dryRun.map(String) : [];
      for (const d of bodyDryRun) if (d !== "All") throw kubeErrors.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
      const pre = isObject(options.preconditions) ? options.preconditions : undefined;
      const deleted = state.delete(type, namespace, name, {
        dryRun: opts.dryRun || bodyDryRun.length > 0,
        ...(pre ? { preconditions: { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined } } : {}),
      });
      return c.json(deleted);
    }
    throw kubeErrors.methodNotSupported({ group: type.group, resource: type.plural }, method.toLowerCase());
  }

  return app;
}
