/**
 * `meshplan diff` as users run it: the real binary in a child process against the Kubernetes API
 * double, on a repository in a temporary directory. The double answers from this process, so the
 * binary runs asynchronously (runCli's spawnSync would block the double's event loop); the
 * cluster each test starts from is prepared with `meshplan apply` run in this process.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PREVIEW_REPORT_SCHEMA } from "../../src/report/preview-report.js";
import { runCli } from "../support/cli.js";
import { cliRepository } from "../support/cli-repository.js";
import { editWeightsAsKubectl } from "../support/kubectl.js";
import { reviewsInShop, virtualServiceManifest } from "../support/mesh-manifests.js";

const shopVirtualService = (name: string, weightV1: number) => virtualServiceManifest(name, weightV1, "shop");
const vsRef = (name: string) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name });

describe("meshplan diff: usage", () => {
  it("--help describes the preview and its exit status", () => {
    const r = runCli(["diff", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: meshplan diff/);
    for (const option of ["--cluster", "--context", "--kubeconfig", "--root", "--prune", "--force-conflicts", "--namespace", "--format", "--no-color"]) {
      assert.match(r.stdout, new RegExp(`^\\s+(-\\w, )?${option}\\b`, "m"), option);
    }
    assert.match(r.stdout, /0 no differences, 1 differences/);
  });
});

describe("meshplan diff", () => {
  it("says there are no changes when the cluster holds the tree (exit 0)", async () => {
    await using env = await cliRepository(reviewsInShop());
    await env.applied();
    const r = await env.meshplan("diff");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^no changes: the cluster already holds the desired objects$/m);
    assert.match(r.stdout, /^ {2}4 object\(s\) unchanged$/m);
    assert.match(r.stderr, /^meshplan: comparing 4 object\(s\) with double$/m);
  });

  it("a changed weight shows the field change and the routing shift for the host, and stores nothing (exit 1)", async () => {
    await using env = await cliRepository(reviewsInShop(100));
    await env.applied();
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50) });
    const before = env.double.resourceVersion();
    const r = await env.meshplan("diff");
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^ {2}~ virtualservice\.networking\.istio\.io\/reviews -n shop update \(mesh\/reviews\.yaml:1\)$/m);
    assert.match(r.stdout, /^ {6}spec\.http\[0\]\.route\[0\]\.weight: 100 → 50$/m);
    assert.match(r.stdout, /^ {6}spec\.http\[0\]\.route\[1\]\.weight: 0 → 50$/m);
    assert.match(r.stdout, /^ {2}3 object\(s\) unchanged$/m);
    const routing = r.stdout.slice(r.stdout.indexOf("Routing (live → desired)"));
    assert.notEqual(r.stdout.indexOf("Routing (live → desired)"), -1, r.stdout);
    assert.match(routing, /reviews\.shop\.svc\.cluster\.local: reviews v1 100% -> reviews v1 50%, reviews v2 50%/);
    assert.equal(env.double.resourceVersion(), before);
    assert.equal((env.double.object(vsRef("reviews"))?.spec as any).http[0].route[0].weight, 100);
  });

  it("--format json is the versioned live preview with a non-empty routing diff", async () => {
    await using env = await cliRepository(reviewsInShop(100));
    await env.applied();
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50) });
    const r = await env.meshplan("diff", "--format", "json");
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, PREVIEW_REPORT_SCHEMA);
    assert.equal(doc.schema, "meshplan.io/live-preview/v1");
    assert.equal(doc.cluster, "double");
    const vs = doc.objects.find((o: any) => o.ref.kind === "VirtualService");
    assert.equal(vs.change, "update");
    assert.deepEqual(vs.fields[0], { path: ["spec", "http", 0, "route", 0, "weight"], change: "changed", before: 100, after: 50 });
    assert.ok(doc.routing.hosts.length > 0);
    assert.deepEqual(doc.routing.hosts.map((h: any) => h.host), ["reviews.shop.svc.cluster.local"]);
  });

  it("--format markdown lists the objects and the routing", async () => {
    await using env = await cliRepository(reviewsInShop(100));
    await env.applied();
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50) });
    const r = await env.meshplan("diff", "--format", "markdown");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^### Live preview: double$/m);
    assert.match(r.stdout, /^- `~` `virtualservice\.networking\.istio\.io\/reviews` in `shop`: update$/m);
    assert.match(r.stdout, /^ {2}- `spec\.http\[0\]\.route\[0\]\.weight: 100 → 50`$/m);
    assert.match(r.stdout, /^#### Routing, live → desired$/m);
    assert.match(r.stdout, /reviews\.shop\.svc\.cluster\.local/);
  });

  it("--prune lists the member apply --prune would delete; without it the member is said to stay", async () => {
    await using env = await cliRepository({ ...reviewsInShop(), "mesh/ratings.yaml": shopVirtualService("ratings", 100) });
    await env.applied();
    env.write({ "mesh/ratings.yaml": null });

    const kept = await env.meshplan("diff");
    assert.equal(kept.status, 0, kept.stdout);
    assert.match(kept.stdout, /^ {2}1 member\(s\) no longer in git stay: prune is off$/m);

    const pruned = await env.meshplan("diff", "--prune");
    assert.equal(pruned.status, 1, pruned.stdout);
    assert.match(pruned.stdout, /^ {2}- virtualservice\.networking\.istio\.io\/ratings -n shop prune$/m);
    assert.match(pruned.stdout, /^Routing \(live → desired\)$/m, "the pruned route's host goes away");
    assert.ok(env.double.object(vsRef("ratings")), "a preview deletes nothing");
  });

  it("a field another manager changed would conflict, naming the manager; --force-conflicts previews the take-over", async () => {
    await using env = await cliRepository(reviewsInShop(100));
    await env.applied();
    await editWeightsAsKubectl(env.double, 10);
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50) });

    const conflict = await env.meshplan("diff");
    assert.equal(conflict.status, 1, conflict.stdout);
    assert.match(conflict.stdout, /^ {2}! virtualservice\.networking\.istio\.io\/reviews -n shop would fail \(mesh\/reviews\.yaml:1\): would conflict with kubectl-edit on \.spec\.http/m);

    const forced = await env.meshplan("diff", "--force-conflicts");
    assert.equal(forced.status, 1, forced.stdout);
    assert.match(forced.stdout, /^ {6}spec\.http\[0\]\.route\[0\]\.weight: 10 → 50$/m);
  });

  it("an unknown --context is exit 2 listing the kubeconfig's contexts", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await env.meshplan("diff", "--context", "prod");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /available contexts: double/);
  });
});
