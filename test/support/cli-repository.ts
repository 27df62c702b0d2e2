/**
 * A mesh repository in a temporary directory and a Kubernetes API double, for running `meshplan`
 * the way users do: the binary in a child process, with the double's kubeconfig as $KUBECONFIG.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { runCliAsync, type CliRun } from "./cli.js";
import { meshCrds, startKubeDouble, type KubeDouble } from "./kube-double/index.js";

export interface CliRepository {
  double: KubeDouble;
  repo: string;
  /** Writes files (path → content) into the repository; null removes one. */
  write(files: Record<string, string | null>): void;
  /** The binary in `repo`, with the double's kubeconfig as $KUBECONFIG. */
  meshplan(...args: string[]): Promise<CliRun>;
  /** The same command run in this process with --kubeconfig: quicker, for the steps that prepare a test's cluster. */
  prepare(...args: string[]): Promise<CliRun>;
  /** `meshplan apply` run as prepare does, which must succeed: the cluster state a test starts from. */
  applied(...args: string[]): Promise<void>;
  git(...args: string[]): string;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function cliRepository(files: Record<string, string | null> = {}): Promise<CliRepository> {
  const double = await startKubeDouble({ crds: meshCrds() });
  const repo = mkdtempSync(join(tmpdir(), "meshplan-cli-"));
  const write = (more: Record<string, string | null>) => {
    for (const [path, content] of Object.entries(more)) {
      const file = join(repo, path);
      if (content === null) rmSync(file, { force: true });
      else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  };
  write(files);
  const prepare = (...args: string[]) => runInProcess([...args, "--kubeconfig", double.kubeconfigPath], repo);
  return {
    double,
    repo,
    write,
    meshplan: (...args) => runCliAsync(args, { cwd: repo, env: { KUBECONFIG: double.kubeconfigPath } }),
    prepare,
    async applied(...args) {
      const r = await prepare("apply", ...args);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    },
    git: (...args) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, stdio: "pipe" })
        .toString()
        .trim(),
    async [Symbol.asyncDispose]() {
      await double.close();
      rmSync(repo, { recursive: true, force: true });
    },
  };
}

/** meshplan's main in this process, with stdout and stderr as the binary would write them. */
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
