/**
 * `meshplan drift` as users run it: the real binary in a child process against the Kubernetes
 * API double, on a repository in a temporary directory. The double answers from this process,
 * so the binary runs asynchronously (runCli's spawnSync would block the double's event loop).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DRIFT_REPORT_SCHEMA } from "../../src/cli/commands/drift.js";
import { runCli, runCliAsync } from "../support/cli.js";
import { cliRepository, type CliRepository } from "../support/cli-repository.js";
import type { KubeDouble } from "../support/kube-double/index.js";
import { editWeightsAsKubectl } from "../support/kubectl.js";
import { namespaceManifest, serviceManifest, virtualServiceManifest } from "../support/mesh-manifests.js";

const files: Record<string, string> = {
  "meshplan.yaml": `clusters:
  - name: prod
    context: double
    paths: [mesh]
    namespace: shop
`,
  "mesh/namespace.yaml": namespaceManifest("shop"),
  "mesh/reviews-service.yaml": serviceManifest("reviews"),
  "mesh/reviews.yaml": virtualServiceManifest("reviews", 100),
};

const vsRef = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "reviews" };
const weights = (double: KubeDouble) => ((double.object(vsRef)?.spec as any)?.http?.[0]?.route ?? []).map((r: any) => r.weight);

/** A repository holding `tree`, applied to a fresh double by `meshplan apply` run in this process. */
async function applied(tree: Record<string, string> = files, applyArgs: string[] = ["--cluster", "prod"]): Promise<CliRepository> {
  const env = await cliRepository(tree);
  await env.applied(...applyArgs, "-q");
  return env;
}

describe("meshplan drift: usage", () => {
  it("--help lists the options and the exit statuses, and exits 0", () => {
    const r = runCli(["drift", "--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: meshplan drift/);
    for (const option of ["--cluster", "--context", "--kubeconfig", "--root", "--correct", "--namespace", "--format", "--quiet"]) {
      assert.match(r.stdout, new RegExp(`^\\s+(-\\w, )?${option}\\b`, "m"), option);
    }
    assert.match(r.stdout, /Exit status: 0 no drift \(or drift corrected\), 1 drift found/);
  });
});

describe("meshplan drift", { concurrency: 4 }, () => {
  it("a cluster that matches git exits 0 and says so", async () => {
    await using env = await applied();
    const r = await env.meshplan("drift", "--cluster", "prod");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, "No drift: the cluster matches git (3 objects).\n");
    assert.match(r.stderr, /^meshplan: checking 3 object\(s\) against prod$/m);
  });

  it("drift exits 1 and names the field, the values and the manager that changed it, then the routing live → desired", async () => {
    await using env = await applied();
    await editWeightsAsKubectl(env.double, 10);
    const r = await env.meshplan("drift", "--cluster", "prod");
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^Drift: 1 object drifted \(2 fields\); 2 of 3 objects in git match\.$/m);
    assert.match(r.stdout, /^  VirtualService\.networking\.istio\.io shop\/reviews \(mesh\/reviews\.yaml:1\)$/m);
    assert.match(r.stdout, /^    spec\.http\[0\]\.route\[0\]\.weight: 100 → 10, changed by kubectl-edit \(Update, /m);
    assert.match(r.stdout, /^Routing \(live → desired\)$/m);
    assert.match(r.stdout, /reviews\.shop\.svc\.cluster\.local/);
    assert.deepEqual(weights(env.double), [10, 90], "drift only reports");
  });

  it("--format json is the versioned drift check", async () => {
    await using env = await applied();
    await editWeightsAsKubectl(env.double, 10);
    const r = await env.meshplan("drift", "--cluster", "prod", "--format", "json");
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, DRIFT_REPORT_SCHEMA);
    assert.equal(doc.schema, "meshplan.io/drift/v1");
    assert.equal(doc.cluster, "prod");
    assert.equal(doc.status, "checked");
    assert.equal(doc.commit, null, "not a git checkout");
    assert.equal(doc.report.clean, false);
    assert.deepEqual(doc.report.counts, { desired: 3, inSync: 2, drifted: 1, driftedFields: 2, missing: 0, unexpected: 0 });
    const field = doc.report.drifted[0].fields[0];
    assert.deepEqual(field.path, ["spec", "http", 0, "route", 0, "weight"]);
    assert.equal(field.desired, 100);
    assert.equal(field.live, 10);
    assert.equal(field.owner.manager, "kubectl-edit");
    assert.equal(field.owner.operation, "Update");
    assert.ok(doc.routing.hosts.some((h: any) => h.host === "reviews.shop.svc.cluster.local"));
    assert.equal(doc.correction, null);
  });

  it("--format markdown is the drift issue's report with the routing live → desired", async () => {
    await using env = await applied();
    await editWeightsAsKubectl(env.double, 10);
    const r = await env.meshplan("drift", "--cluster", "prod", "--format", "markdown");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^## Drift on `prod`$/m);
    assert.match(r.stdout, /^  - `spec\.http\[0\]\.route\[0\]\.weight` `100` → `10`, changed by `kubectl-edit` \(Update, /m);
    assert.match(r.stdout, /^### Routing, live → desired$/m);
  });

  it("--correct takes the weight back, exits 0, and the next check is clean", async () => {
    await using env = await applied();
    await editWeightsAsKubectl(env.double, 10);
    const r = await env.meshplan("drift", "--cluster", "prod", "--correct");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /changed by kubectl-edit/, "what was found is still reported");
    assert.match(r.stdout, /^Correction$/m);
    assert.deepEqual(weights(env.double), [100, 0]);
    assert.ok(env.double.fieldOwners(vsRef).some((o) => o.manager === "meshplan" && JSON.stringify(o.fieldsV1).includes("f:http")));

    const again = await env.meshplan("drift", "--cluster", "prod");
    assert.equal(again.status, 0, again.stdout);
    assert.match(again.stdout, /^No drift/);
  });

  it("without meshplan.yaml, --kubeconfig and the current context check the working tree against the cluster", async () => {
    const tree: Record<string, string> = {
      "mesh/namespace.yaml": namespaceManifest("shop"),
      "mesh/reviews-service.yaml": serviceManifest("reviews", "shop"),
      "mesh/reviews.yaml": virtualServiceManifest("reviews", 100, "shop"),
    };
    await using env = await applied(tree, []);
    const clean = await runCliAsync(["drift", "--kubeconfig", env.double.kubeconfigPath, "-q"], { cwd: env.repo, env: { KUBECONFIG: join(env.repo, "no-such-kubeconfig") } });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.equal(clean.stderr, "");
    await editWeightsAsKubectl(env.double, 10);
    const drifted = await runCliAsync(["drift", "--kubeconfig", env.double.kubeconfigPath, "-q"], { cwd: env.repo });
    assert.equal(drifted.status, 1, drifted.stdout + drifted.stderr);
    assert.match(drifted.stdout, /changed by kubectl-edit/);
  });

  it("an unreachable cluster exits 2 and says it could not check", async () => {
    await using env = await applied();
    await env.double.down();
    const r = await env.meshplan("drift", "--cluster", "prod");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /^could not check prod: /);
  });
});
