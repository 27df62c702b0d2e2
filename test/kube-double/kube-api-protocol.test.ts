/**
 * The Kubernetes API double at the protocol level, for what kubectl does not
 * show directly: the Status bodies of refused requests, content negotiation,
 * paging, and the patch formats.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startKubeDouble } from "../support/kube-double/index.js";
import type { KubeDouble } from "../support/kube-double/index.js";

const vsCrd = { group: "networking.istio.io", version: "v1", kind: "VirtualService", plural: "virtualservices", namespaced: true };

async function call(d: KubeDouble, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await d.fetch(path, {
    method,
    headers: { authorization: `Bearer ${d.token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

const applyYaml = { "content-type": "application/apply-patch+yaml" };
const vsPath = "/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews";
const vs = (weight: number) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}, weight: ${weight}}]}]\n`;

describe("Kubernetes API double: protocol", () => {
  it("refuses an apply without fieldManager with 422, and force on a merge patch with 422", async () => {
    await using d = await startKubeDouble({ crds: [vsCrd] });
    const r = await call(d, "PATCH", vsPath, vs(100), applyYaml);
    assert.equal(r.status, 422);
    assert.deepEqual([r.body.kind, r.body.reason, r.body.details.causes[0].field], ["Status", "Invalid", "fieldManager"]);
    await call(d, "PATCH", `${vsPath}?fieldManager=meshplan`, vs(100), applyYaml);
    const forced = await call(d, "PATCH", `${vsPath}?force=true`, { spec: { hosts: ["x"] } }, { "content-type": "application/merge-patch+json" });
    assert.equal(forced.status, 422);
    assert.match(forced.body.message, /force: Forbidden: may not be specified for non-apply patch/);
  });

  it("answers a conflict with 409 whose causes name the field and the manager", async () => {
    await using d = await startKubeDouble({ crds: [vsCrd] });
    assert.equal((await call(d, "PATCH", `${vsPath}?fieldManager=meshplan`, vs(100), applyYaml)).status, 201);
    const r = await call(d, "PATCH", `${vsPath}?fieldManager=someone`, vs(50), applyYaml);
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, "Conflict");
    assert.deepEqual(r.body.details.causes, [{ reason: "FieldManagerConflict", message: 'conflict with "meshplan"', field: ".spec.http" }]);
  });

  it("refuses strategic merge patch for a custom resource with 415, and merges Service ports by key with it", async () => {
    await using d = await startKubeDouble({ crds: [vsCrd] });
    await call(d, "PATCH", `${vsPath}?fieldManager=meshplan`, vs(100), applyYaml);
    const smp = { "content-type": "application/strategic-merge-patch+json" };
    const refused = await call(d, "PATCH", vsPath, { spec: {} }, smp);
    assert.equal(refused.status, 415);
    assert.equal(refused.body.reason, "UnsupportedMediaType");

    await call(d, "POST", "/api/v1/namespaces/default/services", { apiVersion: "v1", kind: "Service", metadata: { name: "reviews" }, spec: { ports: [{ name: "http", port: 9080 }] } });
    const r = await call(d, "PATCH", "/api/v1/namespaces/default/services/reviews?fieldManager=kubectl-edit", { spec: { ports: [{ port: 9080, targetPort: 8080 }, { name: "grpc", port: 9090 }] } }, smp);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.spec.ports.map((p: { name: string; targetPort: number }) => [p.name, p.targetPort]), [["http", 8080], ["grpc", 9090]]);
  });

  it("keeps optimistic concurrency: a stale resourceVersion on PUT is a 409, a second create is AlreadyExists", async () => {
    await using d = await startKubeDouble();
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "routes" }, data: { a: "1" } };
    const created = await call(d, "POST", "/api/v1/namespaces/default/configmaps", cm);
    assert.equal(created.status, 201);
    assert.equal((await call(d, "POST", "/api/v1/namespaces/default/configmaps", cm)).body.reason, "AlreadyExists");
    const rv = created.body.metadata.resourceVersion as string;
    const updated = await call(d, "PUT", "/api/v1/namespaces/default/configmaps/routes", { ...cm, metadata: { name: "routes", resourceVersion: rv }, data: { a: "2" } });
    assert.equal(updated.status, 200);
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(rv));
    const stale = await call(d, "PUT", "/api/v1/namespaces/default/configmaps/routes", { ...cm, metadata: { name: "routes", resourceVersion: rv }, data: { a: "3" } });
    assert.equal(stale.status, 409);
    assert.match(stale.body.message, /the object has been modified/);
    assert.equal(created.body.metadata.generation, undefined, "ConfigMaps carry no generation");
  });

  it("validates a Deployment: a selector that does not match the template labels is 422 Invalid with causes", async () => {
    await using d = await startKubeDouble();
    const r = await call(d, "POST", "/apis/apps/v1/namespaces/default/deployments", {
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "reviews" },
      spec: { selector: { matchLabels: { app: "reviews" } }, template: { metadata: { labels: { app: "ratings" } }, spec: { containers: [{ name: "r", image: "r:1" }] } } },
    });
    assert.equal(r.status, 422);
    assert.deepEqual([r.body.reason, r.body.details.kind, r.body.details.group], ["Invalid", "Deployment", "apps"]);
    assert.match(r.body.message, /^Deployment.apps "reviews" is invalid: spec.template.metadata.labels: Invalid value/);
  });

  it("answers a wrong token with 401 and an unknown group with the NotFound Status", async () => {
    await using d = await startKubeDouble();
    const denied = await call(d, "GET", "/api/v1/namespaces", undefined, { authorization: "Bearer nope" });
    assert.deepEqual([denied.status, denied.body.reason], [401, "Unauthorized"]);
    const missing = await call(d, "GET", "/apis/split.smi-spec.io/v1alpha4/trafficsplits");
    assert.deepEqual([missing.status, missing.body.message], [404, "the server could not find the requested resource"]);
  });

  it("serves /version and the health checks to anyone over HTTPS and refuses everything else without credentials with 403", async () => {
    await using d = await startKubeDouble();
    assert.match(d.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const version = await d.fetch("/version");
    assert.equal(version.status, 200);
    assert.equal((await d.fetch("/readyz")).status, 200);
    const anonymous = await d.fetch("/api");
    assert.equal(anonymous.status, 403);
    assert.equal(((await anonymous.json()) as { message: string }).message, 'forbidden: User "system:anonymous" cannot get path "/api"');
    await assert.rejects(fetch(`${d.url}/version`), "a client that does not trust the test CA refuses the connection");
  });

  it("pages a LIST with limit and continue, and serves PartialObjectMetadataList when asked", async () => {
    await using d = await startKubeDouble();
    for (const name of ["a", "b", "c"]) d.seed({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "default", labels: { tier: name === "b" ? "back" : "front" } } });
    const first = await call(d, "GET", "/api/v1/namespaces/default/serviceaccounts?limit=2");
    assert.deepEqual(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ["a", "b"]);
    assert.equal(first.body.metadata.remainingItemCount, 1);
    const second = await call(d, "GET", `/api/v1/namespaces/default/serviceaccounts?limit=2&continue=${first.body.metadata.continue}`);
    assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ["c"]);
    assert.equal(second.body.metadata.continue, undefined);

    const meta = await call(d, "GET", "/api/v1/serviceaccounts?labelSelector=tier%20in%20(front)", undefined, {
      accept: "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
    });
    assert.equal(meta.body.kind, "PartialObjectMetadataList");
    assert.deepEqual(meta.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ["a", "c"]);
    const refused = await call(d, "GET", "/api/v1/serviceaccounts", undefined, { accept: "application/vnd.kubernetes.protobuf" });
    assert.equal(refused.status, 406);
  });

  it("applies a JSON patch and refuses one whose test fails", async () => {
    await using d = await startKubeDouble({ crds: [vsCrd] });
    await call(d, "PATCH", `${vsPath}?fieldManager=meshplan`, vs(100), applyYaml);
    const jp = { "content-type": "application/json-patch+json" };
    const ok = await call(d, "PATCH", vsPath, [{ op: "test", path: "/spec/http/0/route/0/weight", value: 100 }, { op: "replace", path: "/spec/hosts/0", value: "reviews.default" }], jp);
    assert.deepEqual(ok.body.spec.hosts, ["reviews.default"]);
    const failed = await call(d, "PATCH", vsPath, [{ op: "test", path: "/spec/http/0/route/0/weight", value: 1 }], jp);
    assert.equal(failed.status, 422);
    assert.deepEqual(d.fieldOwners({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name: "reviews" }).map((o) => [o.manager, o.operation]), [
      ["meshplan", "Apply"],
      ["node", "Update"],
    ], "without fieldManager the manager comes from the user agent");
  });
});
