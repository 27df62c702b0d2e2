/**
 * Integration: the Kubernetes adapter against the Kubernetes API double over
 * HTTPS, with the Istio, SMI, OSM and Gateway API kinds installed. Each test
 * starts its own double; retries use tiny timeouts and a `sleep` that records
 * the Retry-After waits instead of sleeping them.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import type { ClusterFailure, ClusterPort, LiveObject } from "../../../src/cluster/cluster-port.js";
import { ClusterError } from "../../../src/cluster/cluster-port.js";
import { KubeConfigError, createKubeCluster, kubeConfigFromFile, kubeConfigFromString } from "../../../src/adapters/kube/kube-cluster.js";
import type { KubeClusterOptions } from "../../../src/adapters/kube/kube-cluster.js";
import type { KubeDouble } from "../../support/kube-double/index.js";
import { meshCrds, startKubeDouble } from "../../support/kube-double/index.js";

const tinyRetries = { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 5 };

async function connected(options: Partial<KubeClusterOptions> = {}) {
  const double = await startKubeDouble({ crds: meshCrds() });
  const slept: number[] = [];
  const cluster = createKubeCluster(kubeConfigFromFile(double.kubeconfigPath), {
    name: "prod",
    retry: tinyRetries,
    sleep: async (ms) => void slept.push(ms),
    ...options,
  });
  return { double, cluster, slept, [Symbol.asyncDispose]: () => double.close() };
}

const reviews = (weights: [number, number] = [80, 20], namespace?: string) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", ...(namespace ? { namespace } : {}), labels: { app: "reviews" } },
  spec: {
    hosts: ["reviews"],
    http: [{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: weights[0] }, { destination: { host: "reviews", subset: "v2" }, weight: weights[1] }] }],
  },
});
const reviewsRef = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "default", name: "reviews" };

const owners = (o: Record<string, any>) => (o.metadata.managedFields as { manager: string; operation: string }[]).map((m) => [m.manager, m.operation]);
const weights = (o: Record<string, any>) => (o.spec.http[0].route as { weight: number }[]).map((r) => r.weight);

async function failure(promise: Promise<unknown>): Promise<ClusterFailure> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ClusterError, `expected a ClusterError, got ${String(err)}`);
    return err.failure;
  }
  assert.fail("expected the call to fail");
}

/** Another actor's edit: a merge patch, recorded by the server as an Update by that manager. */
async function editAs(double: KubeDouble, manager: string, path: string, patch: unknown) {
  const res = await double.fetch(`${path}?fieldManager=${manager}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${double.token}`, "content-type": "application/merge-patch+json" },
    body: JSON.stringify(patch),
  });
  assert.equal(res.status, 200, await res.text());
}

const vsPath = "/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews";

describe("Kubernetes cluster adapter: server-side apply", () => {
  it("creates a VirtualService on first apply, in the context's namespace, owned by meshplan through Apply", async () => {
    await using c = await connected();
    const live = await c.cluster.apply(reviews(), { dryRun: false, force: false });
    assert.equal(live.metadata.namespace, "default");
    assert.deepEqual(weights(live), [80, 20]);
    assert.deepEqual(owners(live), [["meshplan", "Apply"]]);
    assert.deepEqual(c.double.fieldOwners(reviewsRef).map((o) => [o.manager, o.operation]), [["meshplan", "Apply"]]);
    const patch = c.double.requests.find((r) => r.method === "PATCH")!;
    assert.deepEqual([patch.path, patch.contentType, patch.query, patch.status], [vsPath, "application/apply-patch+yaml", { fieldManager: "meshplan" }, 201]);
  });

  it("changes nothing when the same object is applied again", async () => {
    await using c = await connected();
    const first = await c.cluster.apply(reviews(), { dryRun: false, force: false });
    const again = await c.cluster.apply(reviews(), { dryRun: false, force: false });
    assert.equal(again.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(again.metadata.generation, 1);
  });

  it("reports the weight kubectl-edit took over as a conflict naming kubectl-edit and the field, without retrying", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    await editAs(c.double, "kubectl-edit", vsPath, { spec: { http: reviews([10, 90]).spec.http } });

    const f = await failure(c.cluster.apply(reviews(), { dryRun: false, force: false }));
    assert.equal(f.reason, "conflict");
    assert.ok(f.reason === "conflict");
    assert.deepEqual(f.conflicts, [{ manager: "kubectl-edit", field: ".spec.http", message: 'conflict with "kubectl-edit" using networking.istio.io/v1' }]);
    assert.match(f.message, /^VirtualService default\/reviews in cluster "prod": Apply failed with 1 conflict: conflict with "kubectl-edit" using networking\.istio\.io\/v1: \.spec\.http; .*apply with force/);
    assert.equal(c.double.requests.filter((r) => r.status === 409).length, 1);
    assert.deepEqual(weights(c.double.object(reviewsRef)!), [10, 90]);
  });

  it("takes the field over from kubectl-edit when applied with force", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    await editAs(c.double, "kubectl-edit", vsPath, { spec: { http: reviews([10, 90]).spec.http } });

    const live = await c.cluster.apply(reviews(), { dryRun: false, force: true });
    assert.deepEqual(weights(live), [80, 20]);
    assert.deepEqual(owners(live), [["meshplan", "Apply"]]);
    const meshplan = c.double.fieldOwners(reviewsRef).find((o) => o.manager === "meshplan")!;
    assert.deepEqual(meshplan.fieldsV1, { "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:hosts": {}, "f:http": {} } });
    assert.equal(c.double.requests.findLast((r) => r.method === "PATCH")!.query.force, "true");
  });

  it("stores nothing on a dry run, and answers with what the apply would make", async () => {
    await using c = await connected();
    const preview = await c.cluster.apply(reviews(), { dryRun: true, force: false });
    assert.equal(preview.metadata.name, "reviews");
    assert.equal(c.double.object(reviewsRef), undefined);

    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    const rv = c.double.resourceVersion();
    const changed = await c.cluster.apply(reviews([50, 50]), { dryRun: true, force: false });
    assert.deepEqual(weights(changed), [50, 50]);
    assert.equal(c.double.resourceVersion(), rv);
    assert.deepEqual(weights(c.double.object(reviewsRef)!), [80, 20]);
    assert.ok(c.double.requests.filter((r) => r.method === "PATCH" && r.query.dryRun === "All").length === 2);
  });

  it("refuses a kind whose CRD is not installed before sending anything", async () => {
    await using c = await connected();
    c.double.uninstallCrd("networking.istio.io", "virtualservices");
    const f = await failure(c.cluster.apply(reviews(), { dryRun: false, force: false }));
    assert.deepEqual(f, {
      reason: "kind-not-served",
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      message: 'VirtualService (networking.istio.io/v1) is not served by cluster "prod": install its CustomResourceDefinition first',
    });
    const v2 = await failure(c.cluster.apply({ ...reviews(), apiVersion: "networking.istio.io/v2" }, { dryRun: false, force: false }));
    assert.equal(v2.reason, "kind-not-served");
    assert.equal(c.double.requests.filter((r) => r.method !== "GET").length, 0);
  });

  it("puts a cluster-scoped GatewayClass at the cluster scope, whatever namespace it carries", async () => {
    await using c = await connected();
    const live = await c.cluster.apply(
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "istio", namespace: "default" }, spec: { controllerName: "istio.io/gateway-controller" } },
      { dryRun: false, force: false },
    );
    assert.equal(live.metadata.namespace, undefined);
    assert.equal(c.double.requests.findLast((r) => r.method === "PATCH")!.path, "/apis/gateway.networking.k8s.io/v1/gatewayclasses/istio");
  });

  it("reports an object the server finds invalid with the server's causes, and a missing namespace as not-found", async () => {
    await using c = await connected();
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "reviews" }, spec: { ports: [{ port: 70000 }] } };
    const f = await failure(c.cluster.apply(service, { dryRun: false, force: false }));
    assert.equal(f.reason, "invalid");
    assert.ok(f.reason === "invalid");
    assert.match(f.causes.join("\n"), /^spec\.ports\[0\]\.port: Invalid value: 70000: must be between 1 and 65535, inclusive$/);
    assert.equal(c.double.requests.filter((r) => r.status === 422).length, 1, "an invalid object is not retried");

    const elsewhere = await failure(c.cluster.apply(reviews(undefined, "bookinfo"), { dryRun: false, force: false }));
    assert.deepEqual([elsewhere.reason, elsewhere.message], ["not-found", 'VirtualService bookinfo/reviews in cluster "prod": namespaces "bookinfo" not found']);

    const nameless = await failure(c.cluster.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }, { dryRun: false, force: false }));
    assert.equal(nameless.reason, "invalid");
  });
});

describe("Kubernetes cluster adapter: failing clusters", () => {
  it("retries an apply the server answered with 500 and ends with the object created once", async () => {
    await using c = await connected();
    c.double.failNext({ status: 500, method: "PATCH", path: vsPath });
    const live = await c.cluster.apply(reviews(), { dryRun: false, force: false });
    assert.equal(live.metadata.name, "reviews");
    assert.deepEqual(c.double.requests.filter((r) => r.method === "PATCH").map((r) => r.status), [500, 201]);
    assert.equal(c.double.objects({ kind: "VirtualService" }).length, 1);
  });

  it("waits out the Retry-After of a 429, capped at 30 s, and retries at once without one", async () => {
    await using c = await connected();
    c.double.failNext({ status: 429, method: "PATCH", retryAfterSeconds: 2 });
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    assert.deepEqual(c.slept, [2000]);
    assert.deepEqual(c.double.requests.filter((r) => r.method === "PATCH").map((r) => r.status), [429, 201]);

    c.double.failNext({ status: 503, method: "GET", retryAfterSeconds: 3600 });
    assert.notEqual(await c.cluster.get(reviewsRef), null);
    assert.deepEqual(c.slept, [2000, 30_000]);
  });

  it("gives up on a server that keeps answering 503 after the configured retries, as an api-error", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    c.double.failNext({ status: 503, method: "GET", path: vsPath, times: 10 });
    const f = await failure(c.cluster.get(reviewsRef));
    assert.deepEqual([f.reason, f.reason === "api-error" && f.status], ["api-error", 503]);
    assert.equal(c.double.requests.filter((r) => r.path === vsPath && r.status === 503).length, tinyRetries.retries + 1);
  });

  it("reports a cluster that is down as unreachable after its retries, and works again once it is up", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    await c.double.down();
    const f = await failure(c.cluster.apply(reviews([70, 30]), { dryRun: false, force: false }));
    assert.equal(f.reason, "unreachable");
    assert.match(f.message, new RegExp(`^cluster "prod": ${c.double.url.replace(/\./g, "\\.")} is unreachable: .*ECONNREFUSED.* \\(after 4 attempts\\)$`));
    await c.double.up();
    assert.deepEqual(weights(await c.cluster.apply(reviews([70, 30]), { dryRun: false, force: false })), [70, 30]);
  });

  it("answers a request without credentials as forbidden, and a wrong token as forbidden without showing it", async () => {
    await using double = await startKubeDouble({ crds: meshCrds() });
    const doc = parseYaml(await readFile(double.kubeconfigPath, "utf8")) as { users: { user: Record<string, unknown> }[] };
    const wrongToken = "wrong-token-0123456789abcdef";
    doc.users[0]!.user = { token: wrongToken };
    const wrong = createKubeCluster(kubeConfigFromString(toYaml(doc)), { name: "prod", retry: tinyRetries });
    const f = await failure(wrong.apply(reviews(), { dryRun: false, force: false }));
    assert.equal(f.reason, "forbidden");
    assert.match(f.message, /did not accept the kubeconfig's credentials \(401 Unauthorized\)/);
    assert.ok(!JSON.stringify(f).includes(wrongToken));

    doc.users[0]!.user = {};
    const anonymous = createKubeCluster(kubeConfigFromString(toYaml(doc)), { name: "prod", retry: tinyRetries });
    const g = await failure(anonymous.preferredResource("networking.istio.io", "VirtualService"));
    assert.deepEqual([g.reason, g.message], ["forbidden", 'API discovery in cluster "prod": forbidden: User "system:anonymous" cannot get path "/apis"']);
  });

  it("reports a server whose certificate the kubeconfig's CA did not sign as unreachable, without retrying", async () => {
    await using double = await startKubeDouble();
    const doc = parseYaml(await readFile(double.kubeconfigPath, "utf8")) as { clusters: { cluster: Record<string, unknown> }[] };
    delete doc.clusters[0]!.cluster["certificate-authority-data"];
    const untrusting = createKubeCluster(kubeConfigFromString(toYaml(doc)), { name: "prod", retry: tinyRetries });
    const f = await failure(untrusting.get(reviewsRef));
    assert.equal(f.reason, "unreachable");
    assert.match(f.message, /^cluster "prod": the TLS connection to https:\/\/127\.0\.0\.1:\d+ failed verification: [^(]+$/);
  });

  it("never puts the kubeconfig's token into an error", async () => {
    await using c = await connected();
    const messages: string[] = [];
    const collect = async (p: Promise<unknown>) => {
      const err = await p.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof Error);
      messages.push(err.message, String(err.stack), JSON.stringify(err));
    };
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    await editAs(c.double, "kubectl-edit", vsPath, { spec: { hosts: ["other"] } });
    await collect(c.cluster.apply(reviews(), { dryRun: false, force: false }));
    await collect(c.cluster.apply({ apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { ports: [{ port: 0 }] } }, { dryRun: false, force: false }));
    await collect(c.cluster.apply({ apiVersion: "telemetry.istio.io/v1", kind: "Telemetry", metadata: { name: "x" } }, { dryRun: false, force: false }));
    c.double.failNext({ status: 500, times: 10 });
    await collect(c.cluster.list({ group: "", version: "v1", kind: "Service", plural: "services", namespaced: true }, ""));
    await c.double.down();
    await collect(c.cluster.get(reviewsRef));
    const kubeconfig = await readFile(c.double.kubeconfigPath, "utf8");
    const broken = kubeconfig.replace("users:", "users:\n  - name: [unclosed");
    try {
      kubeConfigFromString(broken);
      assert.fail("a broken kubeconfig loads");
    } catch (err) {
      assert.ok(err instanceof KubeConfigError);
      messages.push(err.message);
    }
    assert.equal(messages.length, 16);
    for (const m of messages) assert.ok(!m.includes(c.double.token), `the token leaked into: ${m}`);
  });
});

describe("Kubernetes cluster adapter: discovery", () => {
  it("asks for each group-version once, however many objects are applied and read", async () => {
    await using c = await connected();
    const rule = (name: string) => ({ apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name }, spec: { host: name } });
    await Promise.all([c.cluster.apply(reviews(), { dryRun: false, force: false }), c.cluster.apply(rule("reviews"), { dryRun: false, force: false })]);
    await c.cluster.apply(rule("ratings"), { dryRun: false, force: false });
    await c.cluster.get(reviewsRef);
    await c.cluster.resourceFor("networking.istio.io/v1", "Gateway");
    const discovery = c.double.requests.filter((r) => r.path === "/apis/networking.istio.io/v1");
    assert.equal(discovery.length, 1);
  });

  it("finds a kind at its group's preferred version, or the newest other version serving it", async () => {
    await using c = await connected();
    const at = async (group: string, kind: string) => {
      const info = await c.cluster.preferredResource(group, kind);
      return info && `${info.group}/${info.version} ${info.plural} ${info.namespaced ? "namespaced" : "cluster"}`;
    };
    assert.equal(await at("networking.istio.io", "VirtualService"), "networking.istio.io/v1 virtualservices namespaced");
    assert.equal(await at("gateway.networking.k8s.io", "TCPRoute"), "gateway.networking.k8s.io/v1alpha2 tcproutes namespaced");
    assert.equal(await at("gateway.networking.k8s.io", "GatewayClass"), "gateway.networking.k8s.io/v1 gatewayclasses cluster");
    assert.equal(await at("split.smi-spec.io", "TrafficSplit"), "split.smi-spec.io/v1alpha4 trafficsplits namespaced");
    assert.equal(await at("", "Service"), "/v1 services namespaced");
    assert.equal(await at("networking.istio.io", "Telemetry"), null);
    assert.equal(await at("config.istio.io", "RouteRule"), null);
    assert.deepEqual(await c.cluster.resourceFor("policy.openservicemesh.io/v1alpha1", "UpstreamTrafficSetting"), {
      group: "policy.openservicemesh.io", version: "v1alpha1", kind: "UpstreamTrafficSetting", plural: "upstreamtrafficsettings", namespaced: true,
    });
    assert.equal(await c.cluster.resourceFor("not/an/apiVersion", "X"), null);
  });
});

describe("Kubernetes cluster adapter: get, list, delete", () => {
  it("gets a live object, and null for one that is missing or of a kind not served", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    assert.deepEqual(weights((await c.cluster.get({ ...reviewsRef, namespace: null }))!), [80, 20]);
    assert.equal(await c.cluster.get({ ...reviewsRef, name: "ratings" }), null);
    assert.equal(await c.cluster.get({ apiVersion: "telemetry.istio.io/v1", kind: "Telemetry", namespace: "default", name: "x" }), null);
  });

  it("lists every labelled object in all namespaces, page by page", async () => {
    await using c = await connected();
    c.double.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bookinfo" } });
    for (let i = 0; i < 1100; i++) {
      const object = reviews();
      c.double.seed({
        ...object,
        metadata: { name: `route-${String(i).padStart(4, "0")}`, namespace: i % 2 ? "bookinfo" : "default", labels: { app: i % 3 === 0 ? "ratings" : "reviews" } },
      });
    }
    const info = (await c.cluster.resourceFor("networking.istio.io/v1", "VirtualService"))!;
    const items: LiveObject[] = await c.cluster.list(info, "app=reviews");
    assert.equal(items.length, 733);
    assert.equal(new Set(items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).size, 733);
    assert.deepEqual([...new Set(items.map((o) => o.metadata.namespace))].sort(), ["bookinfo", "default"]);
    const pages = c.double.requests.filter((r) => r.path === "/apis/networking.istio.io/v1/virtualservices");
    assert.deepEqual(pages.map((p) => [p.query.limit, p.query.labelSelector, p.query.continue !== undefined]), [["500", "app=reviews", false], ["500", "app=reviews", true]]);

    c.double.failNext({ status: 410, method: "GET", path: "/apis/networking.istio.io/v1/virtualservices", query: { continue: /./ } });
    assert.equal((await c.cluster.list(info, "app=reviews")).length, 733, "an expired continue token starts the list again");
    const again = c.double.requests.filter((r) => r.path === "/apis/networking.istio.io/v1/virtualservices").slice(2);
    assert.deepEqual(again.map((p) => [p.query.continue !== undefined, p.status]), [[false, 200], [true, 410], [false, 200], [true, 200]]);

    const namespaces = await c.cluster.list({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false }, "");
    assert.deepEqual(namespaces.map((o) => [o.apiVersion, o.kind]).slice(0, 1), [["v1", "Namespace"]], "list items of built-in kinds get their apiVersion and kind");
    assert.equal(c.double.requests.findLast((r) => r.path === "/api/v1/namespaces")!.query.labelSelector, undefined);
  });

  it("deletes an object in the background, reports one already gone, and leaves it on a dry run", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    assert.deepEqual(await c.cluster.delete(reviewsRef, { dryRun: true }), { existed: true });
    assert.notEqual(c.double.object(reviewsRef), undefined);
    assert.deepEqual(await c.cluster.delete(reviewsRef, { dryRun: false }), { existed: true });
    assert.equal(c.double.object(reviewsRef), undefined);
    assert.deepEqual(await c.cluster.delete(reviewsRef, { dryRun: false }), { existed: false });
    assert.deepEqual(await c.cluster.delete({ apiVersion: "telemetry.istio.io/v1", kind: "Telemetry", name: "x" }, { dryRun: false }), { existed: false });
    assert.deepEqual(c.double.requests.filter((r) => r.method === "DELETE").map((r) => [r.query.dryRun, r.status]), [["All", 200], [undefined, 200], [undefined, 404]]);
  });
});

describe("Kubernetes cluster adapter: kubeconfigs", () => {
  it("names the contexts a kubeconfig has when asked for one it lacks", async () => {
    await using double = await startKubeDouble();
    assert.throws(() => kubeConfigFromFile(double.kubeconfigPath, "staging"), (err: unknown) => {
      assert.ok(err instanceof KubeConfigError);
      assert.equal(err.message, `context "staging" is not in ${double.kubeconfigPath}; available contexts: double`);
      return true;
    });
    assert.equal(kubeConfigFromFile(double.kubeconfigPath, "double").getCurrentContext(), "double");
    assert.throws(() => kubeConfigFromFile(join(tmpdir(), "no-such-kubeconfig")), /cannot load .*no-such-kubeconfig: no such file/);
  });

  it("reads a kubeconfig document given as text, the way a Secrets Manager secret holds it", async () => {
    await using double = await startKubeDouble({ crds: meshCrds() });
    const cluster: ClusterPort = createKubeCluster(kubeConfigFromString(await readFile(double.kubeconfigPath, "utf8"), "double"), { name: "prod", fieldManager: "meshplan-ci" });
    assert.equal(cluster.fieldManager, "meshplan-ci");
    const live = await cluster.apply(reviews(), { dryRun: false, force: false });
    assert.deepEqual(owners(live), [["meshplan-ci", "Apply"]]);
  });
});

const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";
const noKubectl = existsSync(KUBECTL) ? false : `kubectl not found at ${KUBECTL}`;

describe("Kubernetes cluster adapter with kubectl", { skip: noKubectl }, () => {
  it("shows kubectl what meshplan applied, owned by meshplan", async () => {
    await using c = await connected();
    await c.cluster.apply(reviews(), { dryRun: false, force: false });
    const home = await mkdtemp(join(tmpdir(), "kube-cluster-test-"));
    try {
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          KUBECTL,
          ["--kubeconfig", c.double.kubeconfigPath, "--cache-dir", join(home, "cache"), "--request-timeout=10s", "get", "virtualservice", "reviews", "-o", "json", "--show-managed-fields"],
          { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home }, timeout: 30_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`kubectl failed: ${stderr}`)) : resolve(stdout)),
        );
      });
      const vs = JSON.parse(out) as Record<string, any>;
      assert.deepEqual(weights(vs), [80, 20]);
      assert.deepEqual(owners(vs), [["meshplan", "Apply"]]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
