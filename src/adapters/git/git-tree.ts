/**
 * Tree source: the manifest files of one revision of a local git repository,
 * read through the `git` CLI without touching the working tree.
 */
import { spawn } from "node:child_process";
import type { SourceFile } from "../../manifests/types.js";
import { comparePaths, isManifestFile } from "../fs/manifest-files.js";

export type GitErrorCode = "git-unavailable" | "not-a-repository" | "unknown-ref" | "path-not-found" | "git-failed";

export class GitError extends Error {
  override name = "GitError";
  constructor(
    message: string,
    readonly code: GitErrorCode,
    readonly repoDir: string,
    options?: { cause?: unknown; ref?: string; path?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.ref = options?.ref ?? null;
    this.path = options?.path ?? null;
  }
  readonly ref: string | null;
  readonly path: string | null;
}

export interface GitTree {
  /** The full commit id `ref` resolved to. */
  commit: string;
  files: SourceFile[];
}

/**
 * The .yaml/.yml/.json files of `ref` (optionally only under `paths`, files or
 * directories relative to the repository root), skipping node_modules and
 * dot-directories as the directory source does. All blobs are read by one
 * `git cat-file --batch` process.
 */
export async function readGitTree(repoDir: string, ref: string, paths?: string[]): Promise<GitTree> {
  const probe = await runGit(repoDir, ["rev-parse", "--git-dir"]);
  if (probe.exitCode !== 0) {
    throw new GitError(`${repoDir} is not a git repository: ${firstLine(probe.stderr)}`, "not-a-repository", repoDir, {
      cause: new Error(probe.stderr.trim()),
    });
  }

  // A ref that starts with "-" would be read as an option.
  const resolved = ref.startsWith("-") || ref.includes("\n") ? null : await runGit(repoDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!resolved || resolved.exitCode !== 0) {
    throw new GitError(`Unknown revision ${JSON.stringify(ref)} in ${repoDir}: no commit by that name.`, "unknown-ref", repoDir, {
      ref,
      ...(resolved ? { cause: new Error(resolved.stderr.trim() || `git rev-parse exited with ${resolved.exitCode}`) } : {}),
    });
  }
  const commit = resolved.stdout.toString("utf8").trim();

  const wanted = (paths ?? []).map(normalizeTreePath).filter((p): p is string => p !== null);
  if (wanted.length) await assertPathsExist(repoDir, commit, wanted);

  const listing = await runGit(repoDir, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...wanted]);
  if (listing.exitCode !== 0) throw gitFailed(repoDir, "ls-tree", listing, ref);

  const entries: { path: string; oid: string }[] = [];
  for (const record of listing.stdout.toString("utf8").split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    const path = record.slice(tab + 1);
    // Symbolic links (120000) hold their target as a blob, and submodules are commits: neither is a manifest.
    if (type !== "blob" || mode === "120000" || !oid || !isManifestFile(path)) continue;
    entries.push({ path, oid });
  }
  entries.sort((a, b) => comparePaths(a.path, b.path));

  const blobs = await readBlobs(repoDir, [...new Set(entries.map((e) => e.oid))]);
  const files = entries.map(({ path, oid }) => {
    const content = blobs.get(oid);
    if (!content) throw new GitError(`Object ${oid} (${path}) is missing from ${repoDir}.`, "git-failed", repoDir, { ref, path });
    return { path, content };
  });
  return { commit, files };
}

/** `./a/b/` -> `a/b`; the root (`.`, ``) means no restriction (null). */
function normalizeTreePath(p: string): string | null {
  const n = p.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  return n === "" || n === "." ? null : n;
}

async function assertPathsExist(repoDir: string, commit: string, paths: string[]): Promise<void> {
  for (const p of paths) {
    if (p.includes("\n")) throw new GitError(`Path ${JSON.stringify(p)} cannot be read from git.`, "path-not-found", repoDir, { path: p });
  }
  const check = await runGit(repoDir, ["cat-file", "--batch-check"], paths.map((p) => `${commit}:${p}\n`).join(""));
  if (check.exitCode !== 0) throw gitFailed(repoDir, "cat-file --batch-check", check);
  const lines = check.stdout.toString("utf8").split("\n");
  paths.forEach((p, i) => {
    if (lines[i]?.endsWith(" missing")) {
      throw new GitError(`${p}: no such file or directory in commit ${commit.slice(0, 12)}.`, "path-not-found", repoDir, { path: p });
    }
  });
}

/**
 * Reads blobs through one `git cat-file --batch`: each requested id answers
 * `<oid> <type> <size>\n<size bytes>\n`, or `<oid> missing\n`.
 */
async function readBlobs(repoDir: string, oids: string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  if (oids.length === 0) return out;
  const parser = new BatchParser((oid, content) => out.set(oid, content));
  const result = await runGit(repoDir, ["cat-file", "--batch"], oids.map((o) => `${o}\n`).join(""), (chunk) => parser.push(chunk));
  if (result.exitCode !== 0) throw gitFailed(repoDir, "cat-file --batch", result);
  parser.end();
  return out;
}

/** Incremental parser of `git cat-file --batch` output. */
class BatchParser {
  private header: Buffer = Buffer.alloc(0);
  private body: Buffer[] = [];
  private bodyLength = 0;
  /** Bytes still expected for the current object, including its trailing newline; -1 while reading a header. */
  private remaining = -1;
  private oid = "";

  constructor(private readonly onObject: (oid: string, content: Uint8Array) => void) {}

  push(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      if (this.remaining < 0) {
        const nl = data.indexOf(0x0a);
        if (nl < 0) {
          this.header = Buffer.concat([this.header, data]);
          return;
        }
        const line = Buffer.concat([this.header, data.subarray(0, nl)]).toString("utf8");
        this.header = Buffer.alloc(0);
        data = data.subarray(nl + 1);
        const [oid, type, size] = line.split(" ");
        if (type === "missing" || size === undefined) continue;
        this.oid = oid ?? "";
        this.remaining = Number(size) + 1;
        this.body = [];
        this.bodyLength = 0;
      } else {
        const take = Math.min(this.remaining, data.length);
        this.body.push(data.subarray(0, take));
        this.bodyLength += take;
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) {
          const all = Buffer.concat(this.body, this.bodyLength);
          this.onObject(this.oid, new Uint8Array(all.buffer, all.byteOffset, all.byteLength - 1));
          this.remaining = -1;
          this.body = [];
        }
      }
    }
  }

  end(): void {
    if (this.remaining >= 0) throw new Error(`git cat-file --batch output ended inside object ${this.oid}`);
  }
}

interface GitResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

function runGit(repoDir: string, args: string[], input?: string, onStdout?: (chunk: Buffer) => void): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", ["-C", repoDir, "--no-pager", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      // C locale: messages stay parseable; no prompt can block a job.
      env: { ...process.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (failed) return;
      if (!onStdout) {
        stdout.push(chunk);
        return;
      }
      try {
        onStdout(chunk);
      } catch (err) {
        failed = true;
        child.kill();
        reject(new GitError(`Cannot read git output: ${(err as Error).message}`, "git-failed", repoDir, { cause: err }));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // git exiting early closes its stdin; the exit code tells what happened.
    child.stdin.on("error", () => {});
    child.on("error", (err: NodeJS.ErrnoException) => {
      failed = true;
      reject(
        err.code === "ENOENT"
          ? new GitError("git is not installed or not on PATH.", "git-unavailable", repoDir, { cause: err })
          : new GitError(`Cannot run git: ${err.message}`, "git-failed", repoDir, { cause: err }),
      );
    });
    child.on("close", (code) => {
      if (failed) return;
      resolvePromise({ exitCode: code ?? 1, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString("utf8") });
    });
    child.stdin.end(input ?? "");
  });
}

function gitFailed(repoDir: string, what: string, r: GitResult, ref?: string): GitError {
  return new GitError(`git ${what} failed in ${repoDir}: ${firstLine(r.stderr)}`, "git-failed", repoDir, {
    cause: new Error(r.stderr.trim()),
    ...(ref ? { ref } : {}),
  });
}

function firstLine(s: string): string {
  return s.trim().split("\n")[0] || "no output";
}

/**
 * The commit checked out in `dir` when the working tree matches it (no staged, unstaged or
 * untracked changes), else null: only then do the files on disk *are* that commit. Null too
 * outside a git repository.
 */
export async function cleanHeadCommit(dir: string): Promise<string | null> {
  const head = await runGit(dir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (head.exitCode !== 0) return null;
  const status = await runGit(dir, ["status", "--porcelain", "--untracked-files=normal"]);
  if (status.exitCode !== 0 || status.stdout.length > 0) return null;
  return head.stdout.toString("utf8").trim();
}

/**
 * `git merge-base --is-ancestor a b`: whether commit `a` is an ancestor of `b` (or the same).
 * A commit this clone does not have is not known to be an ancestor: false.
 */
export async function isAncestorCommit(dir: string, a: string, b: string): Promise<boolean> {
  if (!/^[0-9a-f]{7,64}$/i.test(a) || !/^[0-9a-f]{7,64}$/i.test(b)) return false;
  const r = await runGit(dir, ["merge-base", "--is-ancestor", a, b]);
  return r.exitCode === 0;
}
