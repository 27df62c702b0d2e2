/**
 * Integration: the Kubernetes API double driven by the real kubectl
 * (client v1.32). Each test starts a double on a free port and runs kubectl
 * with the double's kubeconfig and a discovery cache of its own, so what the
 * double answers is judged by the same client code that talks to clusters.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CrdDefinition } from "./kube-double/index.js";
import { startKubeDouble } from "./kube-double/index.js";
import { kubectl, noKubectl as skip } from "./kubectl.js";
import { deploymentManifest } from "./mesh-manifests.js";

const virtualService: CrdDefinition = { group: "networking.istio.io", version: "v1", kind: "VirtualService", plural: "virtualservices", namespaced: true, shortNames: ["vs"] };
const trafficSplit: CrdDefinition = { group: "split.smi-spec.io", version: "v1alpha4", kind: "TrafficSplit", plural: "trafficsplits", namespaced: true };

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "kube-double-test-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let files = 0;
async function manifest(yaml: string): Promise<string> {
  const path = join(scratch, `manifest-${++files}.yaml`);
  await writeFile(path, yaml);
  return path;
}

/** A double with Istio's VirtualService installed, and kubectl pointed at it. */
async function cluster(crds: CrdDefinition[] = [virtualService]) {
  const double = await startKubeDouble({ crds });
  // One HOME, and so one discovery cache, for all of a test's kubectl runs.
  const home = await mkdtemp(join(scratch, "home-"));
  const run = (args: string[], env?: Record<string, string>) => kubectl(double, args, { home, env });
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await run(args, env);
    assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed:\n${r.stderr}`);
    return r.stdout;
  };
  const json = async (args: string[]) => JSON.parse(await ok([...args, "-o", "json", "--show-managed-fields"])) as Record<string, any>;
  return { double, kubectl: run, ok, json, [Symbol.asyncDispose]: () => double.close() };
}

const bookinfo = (weight: number, extra = "") => `apiVersion: v1
kind: Namespace
metadata:
  name: bookinfo
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookinfo
  labels: {app: reviews}
spec:
  selector: {app: reviews}
  ports:
  - name: http
    port: 9080
---
${reviewsRoute(weight, extra)}`;

const reviewsRoute = (weight: number, extra = "") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts: [reviews]
${extra}  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${weight}
    - destination: {host: reviews, subset: v2}
      weight: ${100 - weight}
`;

const weights = (vs: Record<string, any>) => (vs.spec.http[0].route as { weight: number }[]).map((r) => r.weight);
const owners = (obj: Record<string, any>) => (obj.metadata.managedFields as { manager: string; operation: string; fieldsV1: Record<string, any> }[]).map((m) => [m.manager, m.operation]);
const fieldsOf = (obj: Record<string, any>, manager: string) => (obj.metadata.managedFields as { manager: string; fieldsV1: Record<string, any> }[]).find((m) => m.manager === manager)?.fieldsV1;

describe("Kubernetes API double, driven by kubectl", { skip }, () => {
  it("answers kubectl version with the server version", async () => {
    await using c = await cluster();
    const out = JSON.parse(await c.ok(["version", "-o", "json"])) as { serverVersion: { gitVersion: string; major: string; minor: string } };
    assert.deepEqual([out.serverVersion.gitVersion, out.serverVersion.major, out.serverVersion.minor], ["v1.32.0", "1", "32"]);
  });

  it("lists the core kinds, Deployments and installed CRDs in api-resources, and a CRD only once installed", async () => {
    await using c = await cluster();
    const rows = (out: string) => out.trim().split("\n").slice(1).map((l) => l.trim().split(/\s+/));
    const kinds = (out: string) => rows(out).map((r) => `${r[r.length - 3]} ${r[r.length - 1]}`);
    const before = kinds(await c.ok(["api-resources"]));
    for (const k of ["v1 Namespace", "v1 Service", "v1 ServiceAccount", "v1 ConfigMap", "v1 Secret", "apps/v1 Deployment", "networking.istio.io/v1 VirtualService"]) {
      assert.ok(before.includes(k), `${k} missing from:\n${before.join("\n")}`);
    }
    assert.ok(!before.some((k) => k.endsWith("TrafficSplit")));

    c.double.installCrd(trafficSplit);
    const afterInstall = await c.ok(["api-resources", "--api-group=split.smi-spec.io"]);
    assert.deepEqual(kinds(afterInstall), ["split.smi-spec.io/v1alpha4 TrafficSplit"]);
    assert.equal(await c.ok(["api-resources", "--namespaced=false", "-o", "name"]), "namespaces\n");
  });

  it("server-side applies a Namespace, Service and VirtualService owned by meshplan, with the server's defaults owned by no one", async () => {
    await using c = await cluster();
    const out = await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    assert.deepEqual(out.trim().split("\n"), ["namespace/bookinfo serverside-applied", "service/reviews serverside-applied", "virtualservice.networking.istio.io/reviews serverside-applied"]);

    const vs = await c.json(["get", "-n", "bookinfo", "virtualservice", "reviews"]);
    assert.deepEqual(weights(vs), [80, 20]);
    assert.equal(vs.metadata.generation, 1);
    assert.match(vs.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(vs.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(owners(vs), [["meshplan", "Apply"]]);
    assert.deepEqual(fieldsOf(vs, "meshplan"), { "f:spec": { "f:hosts": {}, "f:http": {} } });

    const svc = await c.json(["get", "-n", "bookinfo", "service", "reviews"]);
    assert.match(svc.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
    assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
    assert.equal(svc.spec.type, "ClusterIP");
    assert.equal(svc.spec.sessionAffinity, "None");
    assert.deepEqual(svc.spec.ports, [{ name: "http", port: 9080, protocol: "TCP", targetPort: 9080 }]);
    assert.deepEqual(svc.status, { loadBalancer: {} });
    // Associative list items are keyed by port and the defaulted protocol; the defaults themselves are not meshplan's.
    assert.deepEqual(fieldsOf(svc, "meshplan"), {
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": { "f:ports": { 'k:{"port":9080,"protocol":"TCP"}': { ".": {}, "f:name": {}, "f:port": {} } }, "f:selector": {} },
    });

    const ns = await c.json(["get", "namespace", "bookinfo"]);
    assert.equal(ns.metadata.labels["kubernetes.io/metadata.name"], "bookinfo");
    assert.deepEqual(ns.status, { phase: "Active" });
    assert.equal(ns.metadata.managedFields, undefined, "meshplan applied no fields of the namespace, so no manager owns any");
  });

  it("applies a Deployment: replicas, strategy and pod defaults are filled in and reported in status, not owned by the applier", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(deploymentManifest("v1", "default", { app: "reviews" }))]);
    const d = await c.json(["get", "deployment", "reviews-v1"]);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
    assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 9080, protocol: "TCP" }]);
    assert.equal(d.status.observedGeneration, 1);
    assert.equal(d.status.availableReplicas, 1);
    const spec = fieldsOf(d, "meshplan")!["f:spec"];
    assert.deepEqual(Object.keys(spec).sort(), ["f:selector", "f:template"]);
    assert.deepEqual(Object.keys(spec["f:template"]["f:spec"]["f:containers"]), ['k:{"name":"reviews"}']);
  });

  it("a second apply with a changed weight updates the route, bumps generation and resourceVersion, and keeps meshplan the only owner", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    const first = await c.json(["get", "-n", "bookinfo", "virtualservice", "reviews"]);

    const out = await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(60))]);
    assert.match(out, /virtualservice.networking.istio.io\/reviews serverside-applied/);
    const second = await c.json(["get", "-n", "bookinfo", "virtualservice", "reviews"]);
    assert.deepEqual(weights(second), [60, 40]);
    assert.equal(second.metadata.generation, 2);
    assert.ok(Number(second.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
    assert.equal(second.metadata.uid, first.metadata.uid);
    assert.deepEqual(owners(second), [["meshplan", "Apply"]]);

    const svc = c.double.object({ apiVersion: "v1", kind: "Service", namespace: "bookinfo", name: "reviews" })!;
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(60))]);
    const unchanged = await c.json(["get", "-n", "bookinfo", "service", "reviews"]);
    assert.equal(unchanged.metadata.resourceVersion, (svc.metadata as { resourceVersion: string }).resourceVersion, "an apply that changes nothing does not write");
  });

  it("refuses another manager's change to meshplan's weight with a conflict naming meshplan, and takes ownership with --force-conflicts", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    const changed = await manifest(reviewsRoute(50));

    const refused = await c.kubectl(["apply", "--server-side", "--field-manager=hotfix", "-f", changed]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Apply failed with 1 conflict: conflict with "meshplan": \.spec\.http/);
    assert.match(refused.stderr, /--force-conflicts/);
    const conflict = c.double.requests.find((r) => r.status === 409);
    assert.equal(conflict?.method, "PATCH");
    assert.deepEqual(weights(await c.json(["get", "-n", "bookinfo", "vs", "reviews"])), [80, 20]);

    await c.ok(["apply", "--server-side", "--field-manager=hotfix", "--force-conflicts", "-f", changed]);
    const vs = await c.json(["get", "-n", "bookinfo", "vs", "reviews"]);
    assert.deepEqual(weights(vs), [50, 50]);
    // hosts had the same value, so both own it; http moved to hotfix.
    assert.deepEqual(fieldsOf(vs, "meshplan"), { "f:spec": { "f:hosts": {} } });
    assert.deepEqual(fieldsOf(vs, "hotfix"), { "f:spec": { "f:hosts": {}, "f:http": {} } });
  });

  it("records kubectl patch --type merge as an Update by kubectl-patch, which meshplan's next apply then conflicts with", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    const patch = JSON.stringify({ spec: { http: [{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: 10 }, { destination: { host: "reviews", subset: "v2" }, weight: 90 }] }] } });
    assert.match(await c.ok(["patch", "-n", "bookinfo", "vs", "reviews", "--type", "merge", "-p", patch]), /virtualservice.networking.istio.io\/reviews patched/);

    const vs = await c.json(["get", "-n", "bookinfo", "vs", "reviews"]);
    assert.deepEqual(weights(vs), [10, 90]);
    assert.deepEqual(owners(vs), [["meshplan", "Apply"], ["kubectl-patch", "Update"]]);
    assert.deepEqual(fieldsOf(vs, "kubectl-patch"), { "f:spec": { "f:http": {} } });
    assert.deepEqual(fieldsOf(vs, "meshplan"), { "f:spec": { "f:hosts": {} } });
    const patchRequest = c.double.requests.find((r) => r.method === "PATCH" && r.query.fieldManager === "kubectl-patch");
    assert.equal(patchRequest?.contentType, "application/merge-patch+json");

    const back = await c.kubectl(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(reviewsRoute(80))]);
    assert.equal(back.code, 1);
    assert.match(back.stderr, /conflict with "kubectl-patch" using networking\.istio\.io\/v1: \.spec\.http/);
  });

  it("removes a field meshplan applied before and now omits, unless another manager also owns it", async () => {
    await using c = await cluster();
    const missing = await c.kubectl(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(reviewsRoute(80))]);
    assert.match(missing.stderr, /Error from server \(NotFound\): namespaces "bookinfo" not found/, "objects go into existing namespaces only");
    const vsIn = (ns: string, extra: string) => reviewsRoute(80, extra).replace("namespace: bookinfo", `namespace: ${ns}`);
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(vsIn("default", "  gateways: [mesh]\n  exportTo: ['.']\n"))]);
    await c.ok(["apply", "--server-side", "--field-manager=other", "-f", await manifest(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  exportTo: ['.']
`)]);
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(vsIn("default", ""))]);
    const vs = await c.json(["get", "vs", "reviews"]);
    assert.equal(vs.spec.gateways, undefined, "gateways was meshplan's alone, so it is removed");
    assert.deepEqual(vs.spec.exportTo, ["."], "exportTo is still owned by other, so it stays");
    assert.deepEqual(fieldsOf(vs, "other"), { "f:spec": { "f:exportTo": {} } });
  });

  it("deletes an object, and a second delete answers NotFound", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    assert.match(await c.ok(["delete", "-n", "bookinfo", "vs", "reviews"]), /virtualservice.networking.istio.io "reviews" deleted/);
    assert.equal(c.double.object({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "bookinfo", name: "reviews" }), undefined);
    const again = await c.kubectl(["delete", "-n", "bookinfo", "vs", "reviews"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Error from server \(NotFound\): virtualservices.networking.istio.io "reviews" not found/);
    const get = await c.kubectl(["get", "-n", "bookinfo", "service", "nope"]);
    assert.match(get.stderr, /Error from server \(NotFound\): services "nope" not found/);
  });

  it("fails to apply a kind whose CRD is not installed with kubectl's no-matches error", async () => {
    await using c = await cluster();
    const r = await c.kubectl(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec: {host: reviews}
`)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no matches for kind "DestinationRule" in version "networking.istio.io\/v1"/);
    const split = await c.kubectl(["get", "trafficsplits"]);
    assert.match(split.stderr, /the server doesn't have a resource type "trafficsplits"/);
  });

  it("--dry-run=server answers as if applied and changes nothing", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    const rv = c.double.resourceVersion();
    const out = await c.ok(["apply", "--server-side", "--field-manager=meshplan", "--dry-run=server", "-o", "json", "-f", await manifest(reviewsRoute(30))]);
    assert.deepEqual(weights(JSON.parse(out) as Record<string, any>), [30, 70], "the dry-run answer shows the result");
    assert.equal(c.double.resourceVersion(), rv);
    assert.deepEqual(weights(await c.json(["get", "-n", "bookinfo", "vs", "reviews"])), [80, 20]);
    assert.ok(c.double.requests.some((r) => r.method === "PATCH" && r.query.dryRun === "All"));

    const created = await c.ok(["apply", "--server-side", "--field-manager=meshplan", "--dry-run=server", "-f", await manifest(`apiVersion: v1
kind: ConfigMap
metadata: {name: new, namespace: default}
data: {a: b}
`)]);
    assert.match(created, /configmap\/new serverside-applied \(server dry run\)/);
    assert.equal(c.double.object({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "new" }), undefined);
  });

  it("kubectl diff --server-side shows the weight change and leaves the object as it was", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    const r = await c.kubectl(["diff", "--server-side", "--field-manager=meshplan", "-f", await manifest(reviewsRoute(70))]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /-      weight: 80\n/);
    assert.match(r.stdout, /\+      weight: 70\n/);
    assert.deepEqual(weights(await c.json(["get", "-n", "bookinfo", "vs", "reviews"])), [80, 20]);
    const same = await c.kubectl(["diff", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    assert.equal(same.code, 0, same.stdout + same.stderr);
  });

  it("lists with label selectors and prints the server's table", async () => {
    await using c = await cluster();
    await c.ok(["apply", "--server-side", "--field-manager=meshplan", "-f", await manifest(bookinfo(80))]);
    const table = await c.ok(["get", "services", "-A", "-l", "app=reviews"]);
    assert.match(table, /^NAMESPACE\s+NAME\s+AGE\nbookinfo\s+reviews\s+\d+s\n$/);
    const none = await c.kubectl(["get", "services", "-A", "-l", "app notin (reviews)"]);
    assert.match(none.stderr, /No resources found/);
    const byName = JSON.parse(await c.ok(["get", "namespaces", "--field-selector", "metadata.name=bookinfo", "-o", "json"])) as { items: unknown[] };
    assert.equal(byName.items.length, 1);
    const bad = await c.kubectl(["get", "services", "--field-selector", "spec.type=ClusterIP"]);
    assert.match(bad.stderr, /field label not supported: spec.type/);
  });

  it("prunes with an ApplySet (KEP-3659): the parent records the kinds, an object left out of the set is deleted", async () => {
    await using c = await cluster();
    const env = { KUBECTL_APPLYSET: "true" };
    const set = ["apply", "--server-side", "--field-manager=meshplan", "--prune", "--applyset=configmaps/meshplan", "-n", "default"];
    const both = await manifest(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec: {hosts: [ratings]}
---
${reviewsRoute(80).replace("  namespace: bookinfo\n", "")}`);
    await c.ok([...set, "-f", both], env);
    const parent = await c.json(["get", "configmap", "meshplan"]);
    assert.match(parent.metadata.labels["applyset.kubernetes.io/id"], /^applyset-[A-Za-z0-9_-]+-v1$/);
    assert.equal(parent.metadata.annotations["applyset.kubernetes.io/contains-group-kinds"], "VirtualService.networking.istio.io");
    const member = await c.json(["get", "vs", "reviews"]);
    assert.equal(member.metadata.labels["applyset.kubernetes.io/part-of"], parent.metadata.labels["applyset.kubernetes.io/id"]);

    const out = await c.ok([...set, "-f", await manifest(reviewsRoute(80).replace("  namespace: bookinfo\n", ""))], env);
    assert.match(out, /virtualservice.networking.istio.io\/ratings pruned/);
    assert.deepEqual(c.double.objects({ kind: "VirtualService" }).map((o) => (o.metadata as { name: string }).name), ["reviews"]);
  });
});

describe("Kubernetes API double, failing as a cluster can", { skip }, () => {
  it("answers 429 with Retry-After, which kubectl waits out and retries", async () => {
    await using c = await cluster();
    c.double.failNext({ status: 429, times: 2, retryAfterSeconds: 1, method: "GET", path: "/api/v1/namespaces/default/configmaps" });
    const out = await c.ok(["get", "configmaps", "-o", "name"]);
    assert.equal(out, "");
    const statuses = c.double.requests.filter((r) => r.path === "/api/v1/namespaces/default/configmaps").map((r) => r.status);
    assert.deepEqual(statuses, [429, 429, 200]);
  });

  it("answers 500 and 503 with Status bodies kubectl reports", async () => {
    await using c = await cluster();
    c.double.failNext({ status: 500, path: "/api/v1/namespaces/default/services" });
    const r = await c.kubectl(["get", "services"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(InternalError\)/);
    c.double.failNext({ status: 503, path: "/api/v1/namespaces/default/services" });
    assert.match((await c.kubectl(["get", "services"])).stderr, /Error from server \(ServiceUnavailable\)/);
    await c.ok(["get", "services"]);
  });

  it("refuses connections while down and serves again once up", async () => {
    await using c = await cluster();
    await c.ok(["get", "namespaces"]);
    await c.double.down();
    const r = await c.kubectl(["get", "namespaces", "--request-timeout=2s"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The connection to the server 127\.0\.0\.1:\d+ was refused/);
    await c.double.up();
    assert.match(await c.ok(["get", "namespaces", "-o", "name"]), /namespace\/default/);
  });
});
