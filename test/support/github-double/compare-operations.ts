/**
 * Comparing two commits (docs.github.com/rest/commits/commits#compare-two-commits),
 * GET /repos/{owner}/{repo}/compare/{base}...{head}, computed from the parent
 * graph of the double's commits as `git rev-list` would: `ahead_by` counts the
 * commits reachable from head and not from base, `behind_by` the reverse, and
 * `status` follows from the two. As on GitHub: either side may be a branch or a
 * (short) sha, optionally `owner:`-prefixed; an unknown side or histories with
 * no common ancestor answer 404; `commits` lists the head's new commits oldest
 * first, at most 250 unless `per_page`/`page` ask for pages; `files` (the diff
 * from the merge base to head, at most 300) comes with the first page only.
 */
import type { CommitRecord, RepoRecord } from "./double-state.js";
import { resolveCommit } from "./double-state.js";
import { errorBody, GitHubError } from "./github-error.js";
import type { OperationHandlers } from "./operation-handler.js";
import { paginate } from "./paginate.js";
import { commitDiff } from "./pull-request-operations.js";
import { restShapes } from "./rest-shapes.js";

/** GitHub: "the response includes a maximum of 250 commits" without pagination, and "up to 300 changed files". */
const maxUnpagedCommits = 250;
const maxComparedFiles = 300;

export type CommitStatus = "identical" | "ahead" | "behind" | "diverged";

export interface CommitComparison {
  status: CommitStatus;
  mergeBase: CommitRecord;
  /** Reachable from head and not from base, parents before children (oldest first). */
  ahead: CommitRecord[];
  behindBy: number;
}

export function compareOperations(options: { maxPatchBytes: number }): OperationHandlers {
  return {
    "repos/compare-commits-with-basehead": (request) => {
      const repo = request.repo!;
      const basehead = String(request.params.basehead);
      const sides = basehead.split("...");
      if (sides.length !== 2) throw GitHubError.notFound(request);
      const [base, head] = sides.map((side) => resolveSide(repo, side));
      if (!base || !head) throw GitHubError.notFound(request);
      const comparison = compareCommits(repo, base, head);
      if (!comparison) {
        throw new GitHubError(404, errorBody(`No common ancestor between ${sides[0]} and ${sides[1]}.`, request.operation.docsUrl, 404));
      }

      const paged = request.url.searchParams.has("per_page") || request.url.searchParams.has("page");
      const { page, headers } = paged ? paginate(request, comparison.ahead) : { page: comparison.ahead.slice(0, maxUnpagedCommits), headers: {} };
      const firstPage = !paged || Number(request.query.page ?? 1) <= 1;
      const files = firstPage ? commitDiff(repo, comparison.mergeBase.sha, head.sha, request.api, options.maxPatchBytes).slice(0, maxComparedFiles) : [];
      const shape = (c: CommitRecord) => restShapes.commit(request.state, repo, c, request.api);
      const web = `https://github.com/${repo.owner}/${repo.name}/compare`;
      return {
        status: 200,
        headers,
        body: {
          url: `${request.api}/repos/${repo.owner}/${repo.name}/compare/${basehead}`,
          html_url: `${web}/${basehead}`,
          permalink_url: `${web}/${repo.owner}:${base.sha}...${repo.owner}:${head.sha}`,
          diff_url: `${web}/${basehead}.diff`,
          patch_url: `${web}/${basehead}.patch`,
          base_commit: shape(base),
          merge_base_commit: shape(comparison.mergeBase),
          status: comparison.status,
          ahead_by: comparison.ahead.length,
          behind_by: comparison.behindBy,
          total_commits: comparison.ahead.length,
          commits: page.map(shape),
          files,
        },
      };
    },
  };
}

/** How head relates to base, or null when their histories share no commit. */
export function compareCommits(repo: RepoRecord, base: CommitRecord, head: CommitRecord): CommitComparison | null {
  const ofBase = ancestors(repo, base.sha);
  const ofHead = ancestors(repo, head.sha);
  const common = [...ofBase].filter((sha) => ofHead.has(sha));
  if (common.length === 0) return null;
  // The best common ancestors are those no other common ancestor descends from; of several (criss-cross merges) take the newest.
  const belowOthers = new Set<string>();
  for (const sha of common) for (const below of ancestors(repo, sha)) if (below !== sha) belowOthers.add(below);
  const mergeBase = common
    .filter((sha) => !belowOthers.has(sha))
    .map((sha) => repo.commits.get(sha)!)
    .sort((a, b) => b.committedAt.getTime() - a.committedAt.getTime())[0]!;
  const ahead = oldestFirst(repo, new Set([...ofHead].filter((sha) => !ofBase.has(sha))));
  const behindBy = [...ofBase].filter((sha) => !ofHead.has(sha)).length;
  const status: CommitStatus = ahead.length && behindBy ? "diverged" : ahead.length ? "ahead" : behindBy ? "behind" : "identical";
  return { status, mergeBase, ahead, behindBy };
}

function resolveSide(repo: RepoRecord, side: string): CommitRecord | undefined {
  const colon = side.indexOf(":");
  if (colon >= 0 && side.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) return undefined;
  const ref = colon >= 0 ? side.slice(colon + 1) : side;
  return ref === "" ? undefined : resolveCommit(repo, ref);
}

/** The commit and every commit it descends from. */
function ancestors(repo: RepoRecord, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(repo.commits.get(next)?.parents ?? []));
  }
  return seen;
}

/** Parents before children, and otherwise by commit time, as GitHub lists a comparison's commits. */
function oldestFirst(repo: RepoRecord, shas: Set<string>): CommitRecord[] {
  const out: CommitRecord[] = [];
  const placed = new Set<string>();
  const pending = [...shas].map((sha) => repo.commits.get(sha)!);
  while (pending.length) {
    const ready = pending.filter((c) => c.parents.every((p) => !shas.has(p) || placed.has(p)));
    const next = ready.sort((a, b) => a.committedAt.getTime() - b.committedAt.getTime())[0]!;
    out.push(next);
    placed.add(next.sha);
    pending.splice(pending.indexOf(next), 1);
  }
  return out;
}
