/**
 * `meshplan apply` as users run it: the real binary in a child process against the Kubernetes
 * API double, on a repository in a temporary directory. The double answers from this process,
 * so the binary runs asynchronously (runCli's spawnSync would block the double's event loop).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { APPLIED_COMMIT_ANNOTATION, APPLYSET_PART_OF_LABEL } from "../../src/cluster/apply-set.js";
import { SYNC_REPORT_SCHEMA } from "../../src/report/sync-report.js";
import { runCli, runCliAsync } from "../support/cli.js";
import { cliRepository, type CliRepository } from "../support/cli-repository.js";
import type { KubeDouble } from "../support/kube-double/index.js";
import { editWeightsAsKubectl } from "../support/kubectl.js";
import { namespaceManifest, reviewsInShop, virtualServiceManifest } from "../support/mesh-manifests.js";

const vsRef = (name: string) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name });
const parentRef = { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "meshplan" };
const weightOf = (double: KubeDouble, name = "reviews") =>
  (double.object(vsRef(name))?.spec as any)?.http?.[0]?.route?.[0]?.weight as number | undefined;
const shopVirtualService = (name: string, weightV1: number) => virtualServiceManifest(name, weightV1, "shop");

describe("meshplan apply: usage", () => {
  it("--help lists the options and exits 0", () => {
    const r = runCli(["apply", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: meshplan apply/);
    for (const option of ["--cluster", "--context", "--kubeconfig", "--root", "--dry-run", "--prune", "--confirm-prune", "--force-conflicts", "--namespace", "--format", "--quiet"]) {
      assert.match(r.stdout, new RegExp(`^\\s+(-\\w, )?${option}\\b`, "m"), option);
    }
  });

  it("--confirm-prune without --prune is a usage error (exit 2)", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshplan-apply-usage-"));
    try {
      const r = runCli(["apply", "--confirm-prune"], { cwd: dir });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /--confirm-prune only makes sense with --prune/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("meshplan apply", () => {
  it("creates every object, one line per object on stdout, progress on stderr", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await env.meshplan("apply");
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split("\n"), [
      "namespace/shop created",
      "service/reviews -n shop created",
      "destinationrule.networking.istio.io/reviews -n shop created",
      "virtualservice.networking.istio.io/reviews -n shop created",
      "double: synced — 4 created",
    ]);
    assert.match(r.stderr, /^meshplan: applying 4 object\(s\) to double from the working tree$/m);
    assert.doesNotMatch(r.stdout, /meshplan:/);
    assert.equal(weightOf(env.double), 100);
    assert.deepEqual(env.double.fieldOwners(vsRef("reviews")).map((o) => [o.manager, o.operation]), [["meshplan", "Apply"]]);
    assert.ok((env.double.object(vsRef("reviews"))!.metadata as any).labels[APPLYSET_PART_OF_LABEL]);
  });

  it("--quiet leaves stderr empty", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await env.meshplan("apply", "--quiet");
    assert.equal(r.status, 0);
    assert.equal(r.stderr, "");
  });

  it("--dry-run stores nothing and says it was a server dry run", async () => {
    await using env = await cliRepository(reviewsInShop(100));
    assert.equal((await env.prepare("apply")).status, 0);
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50), "mesh/ratings.yaml": shopVirtualService("ratings", 100) });
    const before = env.double.resourceVersion();
    const r = await env.meshplan("apply", "--dry-run");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^virtualservice\.networking\.istio\.io\/reviews -n shop configured \(server dry run\)$/m);
    assert.match(r.stdout, /^virtualservice\.networking\.istio\.io\/ratings -n shop created \(server dry run\)$/m);
    assert.match(r.stdout, /^service\/reviews -n shop unchanged \(server dry run\)$/m);
    assert.match(r.stdout, /^double: synced \(dry run\) — 1 created, 1 configured, 3 unchanged$/m);
    assert.match(r.stderr, /dry-run applying 5 object\(s\)/);
    assert.equal(env.double.resourceVersion(), before);
    assert.equal(weightOf(env.double), 100);
    assert.equal(env.double.object(vsRef("ratings")), undefined);
  });

  it("--prune deletes the object of a removed file", async () => {
    await using env = await cliRepository({ ...reviewsInShop(), "mesh/ratings.yaml": shopVirtualService("ratings", 100) });
    assert.equal((await env.prepare("apply")).status, 0);
    assert.ok(env.double.object(vsRef("ratings")));
    env.write({ "mesh/ratings.yaml": null });
    const r = await env.meshplan("apply", "--prune");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^virtualservice\.networking\.istio\.io\/ratings -n shop pruned$/m);
    assert.equal(env.double.object(vsRef("ratings")), undefined);
    assert.ok(env.double.object(vsRef("reviews")));
  });

  it("without --prune a removed file's object stays", async () => {
    await using env = await cliRepository({ ...reviewsInShop(), "mesh/ratings.yaml": shopVirtualService("ratings", 100) });
    assert.equal((await env.prepare("apply")).status, 0);
    env.write({ "mesh/ratings.yaml": null });
    const r = await env.meshplan("apply");
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stdout, /pruned/);
    assert.ok(env.double.object(vsRef("ratings")));
  });

  it("the prune guard refuses to empty the set from an empty tree (exit 1); --confirm-prune allows it and keeps the Namespace", async () => {
    await using env = await cliRepository(reviewsInShop());
    assert.equal((await env.prepare("apply")).status, 0);
    env.write(Object.fromEntries(Object.keys(reviewsInShop()).map((path) => [path, null])));

    const refused = await env.meshplan("apply", "--prune");
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stdout, /^prune: refusing to prune/m);
    assert.match(refused.stdout, /^double: failed/m);
    assert.ok(env.double.object(vsRef("reviews")), "nothing was deleted");

    const confirmed = await env.meshplan("apply", "--prune", "--confirm-prune");
    assert.equal(confirmed.status, 0, confirmed.stdout);
    assert.deepEqual(confirmed.stdout.trimEnd().split("\n"), [
      "virtualservice.networking.istio.io/reviews -n shop pruned",
      "destinationrule.networking.istio.io/reviews -n shop pruned",
      "service/reviews -n shop pruned",
      "namespace/shop kept: this kind is never pruned",
      "double: synced — 3 pruned",
    ]);
    assert.equal(env.double.object(vsRef("reviews")), undefined);
    assert.ok(env.double.object({ apiVersion: "v1", kind: "Namespace", name: "shop" }));
  });

  it("--format json is the versioned sync result", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await env.meshplan("apply", "--format", "json");
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, SYNC_REPORT_SCHEMA);
    assert.equal(doc.schema, "meshplan.io/sync-result/v1");
    assert.equal(doc.results.length, 1);
    assert.equal(doc.results[0].cluster, "double");
    assert.equal(doc.results[0].status, "synced");
    assert.equal(doc.results[0].counts.created, 4);
    assert.deepEqual(
      doc.results[0].objects.map((o: any) => [o.ref.kind, o.action, o.file]),
      [
        ["Namespace", "created", "mesh/namespace.yaml"],
        ["Service", "created", "mesh/reviews-service.yaml"],
        ["DestinationRule", "created", "mesh/reviews-destination-rule.yaml"],
        ["VirtualService", "created", "mesh/reviews.yaml"],
      ],
    );
  });

  it("--format markdown is the check-run summary", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await env.meshplan("apply", "--format", "markdown");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^### ✅ double: synced$/m);
    assert.match(r.stdout, /\| `virtualservice\.networking\.istio\.io\/reviews` \| shop \| created \|/);
  });
});

describe("meshplan apply: clusters and contexts", () => {
  const config = `clusters:
  - name: staging
    context: double
    paths: [mesh/shop]
    namespace: shop
    prune: true
`;
  const files = {
    "meshplan.yaml": config,
    "mesh/shop/namespace.yaml": namespaceManifest("shop"),
    "mesh/shop/reviews.yaml": virtualServiceManifest("reviews", 100),
    "mesh/shop/ratings.yaml": virtualServiceManifest("ratings", 100),
    "mesh/other/details.yaml": virtualServiceManifest("details", 100, "default"),
  };

  it("--cluster NAME applies the cluster's paths in its namespace, and prunes because its settings say so", async () => {
    await using env = await cliRepository(files);
    const first = await env.meshplan("apply", "--cluster", "staging");
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^virtualservice\.networking\.istio\.io\/reviews -n shop created$/m);
    assert.match(first.stdout, /^staging: synced — 3 created$/m);
    assert.ok(env.double.object(vsRef("reviews")), "namespace-less manifests land in the cluster's namespace");
    assert.equal(env.double.object({ ...vsRef("details"), namespace: "default" }), undefined, "outside the cluster's paths");

    env.write({ "mesh/shop/ratings.yaml": null });
    const second = await env.meshplan("apply", "--cluster", "staging");
    assert.equal(second.status, 0, second.stdout);
    assert.match(second.stdout, /^virtualservice\.networking\.istio\.io\/ratings -n shop pruned$/m);
    assert.equal(env.double.object(vsRef("ratings")), undefined);
  });

  it("a cluster that prunes by its settings takes --confirm-prune without --prune", async () => {
    await using env = await cliRepository(files);
    assert.equal((await env.prepare("apply", "--cluster", "staging")).status, 0);
    env.write({ "mesh/shop/reviews.yaml": null, "mesh/shop/ratings.yaml": null });
    const refused = await env.meshplan("apply", "--cluster", "staging");
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stdout, /^prune: refusing to prune/m);
    const confirmed = await env.meshplan("apply", "--cluster", "staging", "--confirm-prune");
    assert.equal(confirmed.status, 0, confirmed.stdout + confirmed.stderr);
    assert.match(confirmed.stdout, /^staging: synced — 1 unchanged, 2 pruned$/m);
  });

  it("PATH arguments and --namespace override the cluster's paths and namespace", async () => {
    await using env = await cliRepository({ ...files, "mesh/other/details.yaml": virtualServiceManifest("details", 100) });
    const r = await env.meshplan("apply", "--cluster", "staging", "--namespace", "default", "mesh/other");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split("\n"), ["virtualservice.networking.istio.io/details -n default created", "staging: synced — 1 created"]);
    assert.ok(env.double.object({ ...vsRef("details"), namespace: "default" }));
    assert.equal(env.double.object(vsRef("reviews")), undefined);
  });

  it("an unknown cluster is a usage error (exit 2) naming the clusters meshplan.yaml lists", async () => {
    await using env = await cliRepository(files);
    const r = await env.meshplan("apply", "--cluster", "prod");
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /meshplan\.yaml has no cluster "prod" \(it lists staging\)/);
    assert.equal(env.double.requests.length, 0, "nothing was asked of the cluster");
  });

  it("an unknown --context is exit 2 listing the kubeconfig's contexts", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await env.meshplan("apply", "--context", "prod");
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /context "prod" is not in .*; available contexts: double/);
  });

  it("--kubeconfig names the file instead of $KUBECONFIG", async () => {
    await using env = await cliRepository(reviewsInShop());
    const r = await runCliAsync(["apply", "--kubeconfig", env.double.kubeconfigPath, "--root", env.repo, "-q"], { cwd: tmpdir(), env: { KUBECONFIG: join(env.repo, "no-such-kubeconfig") } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^double: synced — 4 created$/m);
  });
});

describe("meshplan apply: commits", () => {
  async function repository(): Promise<{ env: CliRepository; older: string; newer: string }> {
    const env = await cliRepository(reviewsInShop(100));
    env.git("init", "-q", "-b", "main");
    env.git("add", "-A");
    env.git("commit", "-q", "-m", "reviews on v1");
    const older = env.git("rev-parse", "HEAD");
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50) });
    env.git("commit", "-q", "-am", "half of reviews to v2");
    return { env, older, newer: env.git("rev-parse", "HEAD") };
  }

  it("a clean checkout records its commit on the ApplySet parent; an older commit is then skipped (exit 0)", async () => {
    const { env, older, newer } = await repository();
    await using _ = env;
    const applied = await env.meshplan("apply");
    assert.equal(applied.status, 0, applied.stdout + applied.stderr);
    assert.match(applied.stderr, new RegExp(`from ${newer.slice(0, 12)}$`, "m"));
    assert.equal((env.double.object(parentRef)!.metadata as any).annotations[APPLIED_COMMIT_ANNOTATION], newer);

    env.git("checkout", "-q", older);
    const before = env.double.resourceVersion();
    const stale = await env.meshplan("apply");
    assert.equal(stale.status, 0, stale.stdout + stale.stderr);
    assert.match(stale.stdout, new RegExp(`^double: skipped\\. ${older.slice(0, 12)} is older than ${newer.slice(0, 12)}`, "m"));
    assert.equal(env.double.resourceVersion(), before, "nothing was applied");
    assert.equal(weightOf(env.double), 50);
  });

  it("a working tree with uncommitted changes records no commit and keeps the one recorded", async () => {
    const { env, newer } = await repository();
    await using _ = env;
    assert.equal((await env.prepare("apply")).status, 0);
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 30) });
    const r = await env.meshplan("apply");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /from the working tree$/m);
    assert.equal(weightOf(env.double), 30);
    assert.equal((env.double.object(parentRef)!.metadata as any).annotations[APPLIED_COMMIT_ANNOTATION], newer);
  });
});

describe("meshplan apply: conflicts", () => {
  it("a field another manager changed fails the object naming that manager (exit 1); --force-conflicts takes it back", async () => {
    await using env = await cliRepository(reviewsInShop(100));
    assert.equal((await env.prepare("apply")).status, 0);
    await editWeightsAsKubectl(env.double, 10);
    env.write({ "mesh/reviews.yaml": shopVirtualService("reviews", 50) });

    const refused = await env.meshplan("apply");
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stdout, /^virtualservice\.networking\.istio\.io\/reviews -n shop failed: conflict: .*owned by kubectl-edit/m);
    assert.match(refused.stdout, /--force-conflicts/);
    assert.equal(weightOf(env.double), 10, "the refused apply changed nothing");

    const forced = await env.meshplan("apply", "--force-conflicts");
    assert.equal(forced.status, 0, forced.stdout);
    assert.match(forced.stdout, /^virtualservice\.networking\.istio\.io\/reviews -n shop configured$/m);
    assert.equal(weightOf(env.double), 50);
  });
});
