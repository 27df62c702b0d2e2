/**
 * OpenAPI v3 as the API server publishes it (KEP-2896): `/openapi/v3` lists
 * one document per group version, each fetched from its
 * `serverRelativeURL`. The documents here are minimal but valid: every
 * served path with its operations and query parameters, each operation
 * tagged with `x-kubernetes-group-version-kind`, and no component schemas.
 * That is what kubectl reads before a write: it looks for the
 * `fieldValidation` parameter on the kind's PATCH operation to decide that
 * the server validates fields itself (`--validate=strict` then becomes
 * `?fieldValidation=Strict`). Without schemas carrying the kind, kubectl's
 * client-side apply and diff compute strategic merge patches from its
 * compiled-in types, as it does for a kind the server documents nowhere.
 *
 * OpenAPI v2 (`/openapi/v2`) is an empty document: kubectl reads it only when
 * v3 does not describe a kind (a kind whose CRD is missing), and an empty
 * document makes it skip client-side validation and report the missing kind
 * ("no matches for kind"), as against a real server. client-go asks for v2 as
 * protobuf only; the empty message is a valid protobuf encoding of it.
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "./json-value.js";
import type { ApiRegistry } from "./api-registry.js";

const param = (name: string, description: string) => ({ name, in: "query", description, schema: { type: "string", uniqueItems: true } });
const writeParams = [
  param("dryRun", "When present, indicates that modifications should not be persisted. Valid value: All"),
  param("fieldManager", "A name associated with the actor or entity that is making these changes."),
  param("fieldValidation", "Ignore, Warn or Strict: how the server treats unknown or duplicate fields."),
];
const pathParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", uniqueItems: true } });

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiGroupVersion(registry: ApiRegistry, group: string, version: string): JsonObject | undefined {
  if (!registry.hasGroupVersion(group, version)) return undefined;
  const paths: JsonObject = {};
  for (const t of registry.all().filter((x) => x.group === group && x.version === version)) {
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const ref = { type: "object" };
    const body = { content: { "application/json": { schema: ref } }, required: true };
    const ok = { "200": { description: "OK", content: { "application/json": { schema: ref } } } };
    const op = (action: string, extra: JsonObject = {}) => ({
      operationId: `${action}${t.kind}`,
      responses: ok,
      "x-kubernetes-action": action,
      "x-kubernetes-group-version-kind": gvk,
      ...extra,
    });
    const base = `/${gvPath(group, version)}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.plural}`;
    const scope = t.namespaced ? [pathParam("namespace")] : [];
    paths[base] = {
      parameters: scope,
      get: op("list", { parameters: [param("labelSelector", ""), param("fieldSelector", ""), param("limit", ""), param("continue", ""), param("resourceVersion", "")] }),
      post: op("post", { parameters: writeParams, requestBody: body }),
    };
    paths[`${base}/{name}`] = {
      parameters: [...scope, pathParam("name")],
      get: op("get"),
      put: op("put", { parameters: writeParams, requestBody: body }),
      patch: op("patch", {
        parameters: [...writeParams, param("force", "Force is going to \"force\" Apply requests.")],
        requestBody: {
          content: Object.fromEntries(
            ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", ...(t.custom ? [] : ["application/strategic-merge-patch+json"])].map((m) => [m, { schema: { type: "object" } }]),
          ),
          required: true,
        },
      }),
      delete: op("delete", { parameters: [param("dryRun", ""), param("propagationPolicy", ""), param("gracePeriodSeconds", "")] }),
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths, components: {} };
}

export function openApiRoot(registry: ApiRegistry): JsonObject {
  const versions = [{ group: "", version: "v1" }, ...registry.groupVersions().flatMap((g) => g.versions.map((version) => ({ group: g.group, version })))];
  const paths: JsonObject = {};
  for (const { group, version } of versions) {
    const doc = openApiGroupVersion(registry, group, version);
    const hash = createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
    paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
  }
  return { paths };
}

/** The OpenAPI v2 document as JSON, for clients that ask for JSON. */
export function openApiV2Json(): JsonObject {
  return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths: {} };
}

/** `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: field 1 (`swagger`) = "2.0", nothing else. */
export const openApiV2Protobuf = Uint8Array.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);
