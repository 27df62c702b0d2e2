import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./corpus.js";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
}

const binary = join(repoRoot, "bin", "meshplan.mjs");
const childOptions = (options: CliOptions) => ({
  cwd: options.cwd ?? repoRoot,
  env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...options.env },
  timeout: 60_000,
});

/** Runs the real `meshplan` binary (bin/meshplan.mjs) as a user would. */
export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [binary, ...args], { ...childOptions(options), encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * runCli without blocking this process: for a binary that talks to a double served from this
 * process, whose event loop spawnSync would stop.
 */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], childOptions(options), (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }),
    );
  });
}
