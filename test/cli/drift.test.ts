/**
 * `meshplan drift` as users run it: the real binary in a child process against the Kubernetes
 * API double, on a repository in a temporary directory. The double answers from this process,
 * so the binary runs asynchronously (runCli's spawnSync would block the double's event loop).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import type { CliIo } from "../../src/cli/io.js";
import { DRIFT_REPORT_SCHEMA } from "../../src/cli/commands/drift.js";
import { main } from "../../src/cli/main.js";
import { runCli, type CliRun } from "../support/cli.js";
import { repoRoot } from "../support/corpus.js";
import { meshCrds, startKubeDouble, type KubeDouble } from "../support/kube-double/index.js";

const virtualService = (v1: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v2}
      weight: ${100 - v1}
`;

const files: Record<string, string> = {
  "meshplan.yaml": `clusters:
  - name: prod
    context: double
    paths: [mesh]
    namespace: shop
`,
  "mesh/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
  "mesh/reviews-service.yaml": `apiVersion: v1
kind: Service
metadata: {name: reviews}
spec:
  ports: [{name: http, port: 9080}]
  selector: {app: reviews}
`,
  "mesh/reviews.yaml": virtualService(100),
};

const vsRef = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "reviews" };
const weights = (double: KubeDouble) => ((double.object(vsRef)?.spec as any)?.http?.[0]?.route ?? []).map((r: any) => r.weight);

interface Env {
  double: KubeDouble;
  repo: string;
  /** The binary in `repo`, with the double's kubeconfig as $KUBECONFIG. */
  meshplan(...args: string[]): Promise<CliRun>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A repository holding `files`, applied to a fresh double by `meshplan apply` run in this process. */
async function applied(tree: Record<string, string> = files, applyArgs: string[] = ["--cluster", "prod"]): Promise<Env> {
  const double = await startKubeDouble({ crds: meshCrds() });
  const repo = mkdtempSync(join(tmpdir(), "meshplan-drift-"));
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const apply = await runInProcess(["apply", ...applyArgs, "--kubeconfig", double.kubeconfigPath, "-q"], repo);
  assert.equal(apply.status, 0, apply.stdout + apply.stderr);
  return {
    double,
    repo,
    meshplan: (...args) => runAsync(args, repo, { KUBECONFIG: double.kubeconfigPath }),
    async [Symbol.asyncDispose]() {
      await double.close();
      rmSync(repo, { recursive: true, force: true });
    },
  };
}

function runAsync(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, "bin", "meshplan.mjs"), ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

async function runInProcess(argv: string[], cwd: string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    out: (t) => void (stdout += t.endsWith("\n") ? t : `${t}\n`),
    progress: (t) => void (stderr += `meshplan: ${t}\n`),
    error: (t) => void (stderr += `meshplan: ${t}\n`),
    color: false,
    cwd,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

/** A merge patch of reviews' weights by another field manager, as `kubectl patch --field-manager kubectl-edit` sends it. */
async function editAsKubectl(double: KubeDouble, v1: number): Promise<void> {
  const spec = { http: [{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: v1 }, { destination: { host: "reviews", subset: "v2" }, weight: 100 - v1 }] }] };
  const res = await double.fetch("/apis/networking.istio.io/v1/namespaces/shop/virtualservices/reviews?fieldManager=kubectl-edit", {
    method: "PATCH",
    headers: { authorization: `Bearer ${double.token}`, "content-type": "application/merge-patch+json" },
    body: JSON.stringify({ spec }),
  });
  assert.equal(res.status, 200, await res.text());
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
    await editAsKubectl(env.double, 10);
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
    await editAsKubectl(env.double, 10);
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
    await editAsKubectl(env.double, 10);
    const r = await env.meshplan("drift", "--cluster", "prod", "--format", "markdown");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^## Drift on `prod`$/m);
    assert.match(r.stdout, /^  - `spec\.http\[0\]\.route\[0\]\.weight` `100` → `10`, changed by `kubectl-edit` \(Update, /m);
    assert.match(r.stdout, /^### Routing, live → desired$/m);
  });

  it("--correct takes the weight back, exits 0, and the next check is clean", async () => {
    await using env = await applied();
    await editAsKubectl(env.double, 10);
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
    const inShop = (content: string) => content.replace("{name: reviews}", "{name: reviews, namespace: shop}");
    const tree: Record<string, string> = {
      "mesh/namespace.yaml": files["mesh/namespace.yaml"]!,
      "mesh/reviews-service.yaml": inShop(files["mesh/reviews-service.yaml"]!),
      "mesh/reviews.yaml": inShop(virtualService(100)),
    };
    await using env = await applied(tree, []);
    const clean = await runAsync(["drift", "--kubeconfig", env.double.kubeconfigPath, "-q"], env.repo, { KUBECONFIG: join(env.repo, "no-such-kubeconfig") });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.equal(clean.stderr, "");
    await editAsKubectl(env.double, 10);
    const drifted = await runAsync(["drift", "--kubeconfig", env.double.kubeconfigPath, "-q"], env.repo, {});
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
