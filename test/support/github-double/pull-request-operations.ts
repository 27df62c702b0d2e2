/**
 * Pull request files (docs.github.com/rest/pulls/pulls#list-pull-requests-files):
 * what changed between the pull request's base and head commits, each with
 * a unified-diff `patch`. As on GitHub: at most 3000 files in all; `patch` is
 * left out for binary files and for diffs over the double's size limit;
 * a file moved with unchanged content is `renamed` with `previous_filename`.
 */
import type { TreeEntry } from "./codeload-tarball.js";
import type { PullRequestRecord, RepoRecord } from "./double-state.js";
import { gitBlobSha } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers } from "./operation-handler.js";
import { paginate } from "./paginate.js";
import { unifiedPatch } from "./unified-patch.js";

/** GitHub: "Responses include a maximum of 3000 files." */
const maxListedFiles = 3000;

export interface DiffEntry {
  sha: string;
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "changed";
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  raw_url: string;
  contents_url: string;
  patch?: string;
  previous_filename?: string;
}

export function pullRequestOperations(options: { maxPatchBytes: number }): OperationHandlers {
  return {
    "pulls/list-files": (request) => {
      const repo = request.repo!;
      const pr = repo.pulls.get(Number(request.params.pull_number));
      if (!pr) throw GitHubError.notFound(request);
      const files = pullRequestFiles(repo, pr, request.api, options.maxPatchBytes).slice(0, maxListedFiles);
      const { page, headers } = paginate(request, files);
      return { status: 200, body: page, headers };
    },
  };
}

export function pullRequestFiles(repo: RepoRecord, pr: PullRequestRecord, api: string, maxPatchBytes: number): DiffEntry[] {
  return commitDiff(repo, pr.baseSha, pr.headSha, api, maxPatchBytes);
}

/** What changed from one commit's tree to another's, as GitHub lists it for pull requests and comparisons. */
export function commitDiff(repo: RepoRecord, baseSha: string, headSha: string, api: string, maxPatchBytes: number): DiffEntry[] {
  const base = repo.commits.get(baseSha)?.entries ?? new Map<string, TreeEntry>();
  const head = repo.commits.get(headSha)?.entries ?? new Map<string, TreeEntry>();
  const entry = (path: string, sha: string, status: DiffEntry["status"], before: TreeEntry | undefined, after: TreeEntry | undefined, previous?: string): DiffEntry => {
    const out: DiffEntry = {
      sha,
      filename: path,
      status,
      additions: 0,
      deletions: 0,
      changes: 0,
      blob_url: `https://github.com/${repo.owner}/${repo.name}/blob/${headSha}/${encodePath(path)}`,
      raw_url: `https://github.com/${repo.owner}/${repo.name}/raw/${headSha}/${encodePath(path)}`,
      contents_url: `${api}/repos/${repo.owner}/${repo.name}/contents/${encodePath(path)}?ref=${headSha}`,
    };
    if (previous !== undefined) out.previous_filename = previous;
    const a = before ? bytesOf(before) : new Uint8Array();
    const b = after ? bytesOf(after) : new Uint8Array();
    if (isBinary(a) || isBinary(b)) return out;
    const diff = unifiedPatch(decode(a), decode(b));
    out.additions = diff.additions;
    out.deletions = diff.deletions;
    out.changes = diff.additions + diff.deletions;
    if (diff.patch && Buffer.byteLength(diff.patch) <= maxPatchBytes) out.patch = diff.patch;
    return out;
  };

  const files: DiffEntry[] = [];
  const added = [...head.keys()].filter((p) => !base.has(p));
  const removed = new Set([...base.keys()].filter((p) => !head.has(p)));
  for (const path of head.keys()) {
    const before = base.get(path);
    const after = head.get(path)!;
    if (!before) continue;
    if (before.kind !== after.kind) files.push(entry(path, shaOf(after), "changed", before, after));
    else if (!sameEntry(before, after)) files.push(entry(path, shaOf(after), "modified", before, after));
  }
  for (const path of added) {
    const after = head.get(path)!;
    const from = [...removed].find((r) => sameEntry(base.get(r)!, after));
    if (from !== undefined) {
      removed.delete(from);
      files.push(entry(path, shaOf(after), "renamed", after, after, from));
    } else {
      files.push(entry(path, shaOf(after), "added", undefined, after));
    }
  }
  for (const path of removed) files.push(entry(path, shaOf(base.get(path)!), "removed", base.get(path), undefined));
  return files.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
}

function bytesOf(entry: TreeEntry): Uint8Array {
  return entry.kind === "file" ? entry.content : new TextEncoder().encode(entry.target);
}

function shaOf(entry: TreeEntry): string {
  return gitBlobSha(bytesOf(entry));
}

function sameEntry(a: TreeEntry, b: TreeEntry): boolean {
  return a.kind === b.kind && Buffer.compare(bytesOf(a), bytesOf(b)) === 0;
}

/** git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
