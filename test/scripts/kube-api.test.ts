/**
 * `npm run kube-api -- --port N`: the API double on its own, for trying meshplan (or kubectl)
 * against a cluster-shaped endpoint without a cluster.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../support/corpus.js";
import { KUBECTL, noKubectl } from "../support/kubectl.js";

describe("npm run kube-api", () => {
  it("prints its URL and kubeconfig, serves the mesh CRDs to kubectl, and exits 0 on SIGTERM removing the kubeconfig", { skip: noKubectl }, async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/kube-api.ts", "--port", "0"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    try {
      while (!/kubeconfig: (\S+)/.test(out)) await once(child.stdout, "data");
      assert.match(out, /listening on https:\/\/127\.0\.0\.1:\d+/);
      const kubeconfig = /kubeconfig: (\S+)/.exec(out)![1]!;
      const home = await mkdtemp(join(tmpdir(), "kube-api-test-"));
      const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          KUBECTL,
          ["--kubeconfig", kubeconfig, "--cache-dir", join(home, "cache"), "--request-timeout=10s", "api-resources", "--api-group=networking.istio.io", "-o", "name"],
          { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home }, timeout: 30_000 },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
        ),
      );
      await rm(home, { recursive: true, force: true });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.split("\n").includes("virtualservices.networking.istio.io"), run.stdout);

      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = await exited;
      assert.equal(code, 0);
      assert.equal(existsSync(kubeconfig), false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a port that is not a number", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/kube-api.ts", "--port", "http"], { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    const [code] = await once(child, "exit");
    assert.notEqual(code, 0);
    assert.match(err, /--port must be a port number/);
  });
});
