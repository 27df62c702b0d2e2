/**
 * The jobs' GitHubPort over GitHub's REST API, for one installation-authenticated
 * Octokit (see github-client.ts, which owns retries and rate limits).
 *
 * - readTree: one archive download per revision, whatever the file count
 *   (GET /repos/{owner}/{repo}/tarball/{ref}, which GitHub answers with a
 *   redirect to codeload). The gzip'd tar is streamed and unpacked in memory;
 *   the top-level `{owner}-{repo}-{sha}/` directory is stripped and only
 *   manifest files are kept, by the same rule as the directory and git tree
 *   sources. Symbolic links are skipped, as the git tree source skips them.
 * - completeCheckRun: GitHub accepts at most 50 annotations per request and
 *   appends those of each update, so annotations go out in batches. All but
 *   the last batch are sent while the run is still in progress; the last one
 *   travels with the conclusion. The run turns completed only once every
 *   annotation is stored, so nothing that reacts to completion (branch
 *   protection, the check_run webhook, a person looking) sees a partial
 *   result, and if a batch fails the job's failure path completes the run.
 * - createDeployment: `auto_merge: false`, or GitHub may merge the default
 *   branch into the ref and answer 202 without creating a deployment (which
 *   becomes a DeploymentNotCreatedError), and `required_contexts: []`, as
 *   meshplan's own check is the gate; the rollout deploys exactly `sha`.
 * - listIssues: GitHub's issues listing includes pull requests (they carry
 *   `pull_request`); they are left out here.
 */
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import type { Octokit, RestEndpointMethodTypes } from "@octokit/rest";
import { extract as tarExtract } from "tar-stream";
import type { ChangedFile, CheckAnnotation, CommitRelation, ExistingCheckRun, GitHubPort, RepoRef } from "../../jobs/ports.js";
import type { SourceFile } from "../../manifests/types.js";
import { comparePaths, isManifestFile } from "../fs/manifest-files.js";
import { changedLinesFromPatch } from "./patch-lines.js";

export interface GitHubPortOptions {
  /**
   * A manifest file larger than this fails the read. Above the loader's own
   * limit (4 MiB), so files between the two become a "file too large" finding
   * instead; this one only bounds memory.
   */
  maxFileBytes: number;
  /** Uncompressed bytes of the whole archive, manifests or not (a bound on time and on gzip bombs). */
  maxArchiveBytes: number;
}

export function defaultGitHubPortOptions(): GitHubPortOptions {
  return { maxFileBytes: 32 * 1024 * 1024, maxArchiveBytes: 512 * 1024 * 1024 };
}

export type GitHubTreeErrorCode = "archive-unavailable" | "archive-unreadable" | "archive-too-large" | "file-too-large";

/** A revision whose files could not be read, with the repository, commit and (when one file is the cause) its path. */
export class GitHubTreeError extends Error {
  override name = "GitHubTreeError";
  constructor(
    message: string,
    readonly code: GitHubTreeErrorCode,
    readonly repo: RepoRef,
    readonly sha: string,
    options?: { cause?: unknown; path?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = options?.path ?? null;
  }
  readonly path: string | null;
}

/** GitHub answered a deployment request without creating one (202: it merged the default branch into the ref instead). */
export class DeploymentNotCreatedError extends Error {
  override name = "DeploymentNotCreatedError";
  constructor(
    message: string,
    readonly repo: RepoRef,
    readonly sha: string,
    readonly environment: string,
  ) {
    super(message);
  }
}

/** GitHub's documented limits (docs.github.com/rest/checks/runs). */
const maxAnnotationsPerRequest = 50;
const maxOutputChars = 65_535;
const maxAnnotationTitleChars = 255;
const maxAnnotationTextBytes = 64 * 1024;
/** Issue and issue comment bodies: "Body is too long (maximum is 65536 characters)". */
const maxCommentChars = 65_536;
/** docs.github.com/rest/deployments/statuses: "The maximum description length is 140 characters." */
const maxDeploymentStatusDescriptionChars = 140;

export function createGitHubPort(octokit: Octokit, options?: Partial<GitHubPortOptions>): GitHubPort {
  const limits: GitHubPortOptions = { ...defaultGitHubPortOptions(), ...options };

  return {
    async readTree(repo, sha) {
      const short = sha.slice(0, 12);
      let body: ReadableStream<Uint8Array> | null;
      try {
        // The body is streamed rather than buffered, so the archive limit holds before the bytes are all in memory.
        const response = await octokit.rest.repos.downloadTarballArchive({ owner: repo.owner, repo: repo.repo, ref: sha, request: { parseSuccessResponseBody: false } });
        body = response.data as unknown as ReadableStream<Uint8Array> | null;
      } catch (err) {
        throw new GitHubTreeError(`Cannot download ${repo.owner}/${repo.repo} at ${short}: ${reason(err)}`, "archive-unavailable", repo, sha, { cause: err });
      }
      if (!body) throw new GitHubTreeError(`GitHub sent no archive for ${repo.owner}/${repo.repo} at ${short}.`, "archive-unavailable", repo, sha);
      return manifestsFromArchive(body, limits, repo, sha);
    },

    async listChangedFiles(repo, pullNumber) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: repo.owner, repo: repo.repo, pull_number: pullNumber, per_page: 100 });
      return files.map(
        (f): ChangedFile => ({
          path: f.filename,
          status: f.status,
          // No patch: a large or binary diff ("all" lines may carry findings), or a move without changes (none do).
          changedLines: f.patch !== undefined ? changedLinesFromPatch(f.patch) : f.changes === 0 ? new Set<number>() : "all",
        }),
      );
    },

    async listCheckRuns(repo, headSha, name) {
      // filter=all: the default "latest" would hide an earlier run of the same name, e.g. the one a redelivered webhook created.
      const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
        owner: repo.owner,
        repo: repo.repo,
        ref: headSha,
        check_name: name,
        filter: "all",
        per_page: 100,
      });
      return runs.map((r): ExistingCheckRun => ({ id: r.id, status: r.status, externalId: r.external_id ?? null }));
    },

    async createCheckRun(repo, run) {
      const { data } = await octokit.rest.checks.create({
        owner: repo.owner,
        repo: repo.repo,
        name: run.name,
        head_sha: run.headSha,
        external_id: run.externalId,
        status: "in_progress",
        started_at: timestamp(run.startedAt),
        output: { title: run.title, summary: fitText(run.summary, maxOutputChars) },
      });
      return data.id;
    },

    async completeCheckRun(repo, id, result) {
      const { output } = result;
      const text = output.text === undefined ? {} : { text: fitText(output.text, maxOutputChars) };
      const base = { title: output.title, summary: fitText(output.summary, maxOutputChars), ...text };
      const annotations = output.annotations.map(githubAnnotation);
      const batches: (typeof annotations)[] = [];
      for (let i = 0; i < annotations.length; i += maxAnnotationsPerRequest) batches.push(annotations.slice(i, i + maxAnnotationsPerRequest));
      if (batches.length === 0) batches.push([]);
      for (const [i, batch] of batches.entries()) {
        const last = i === batches.length - 1;
        await octokit.rest.checks.update({
          owner: repo.owner,
          repo: repo.repo,
          check_run_id: id,
          output: batch.length ? { ...base, annotations: batch } : base,
          ...(last ? { conclusion: result.conclusion, completed_at: timestamp(result.completedAt) } : {}),
        });
      }
    },

    async upsertComment(repo, issueNumber, marker, body) {
      const text = fitText(body, maxCommentChars);
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner: repo.owner, repo: repo.repo, issue_number: issueNumber, per_page: 100 });
      for await (const { data } of pages) {
        // Only a bot's comment is ours to edit: a person quoting the marker keeps their comment.
        const existing = data.find((c) => c.user?.type === "Bot" && c.body?.includes(marker));
        if (!existing) continue;
        if (existing.body !== text) await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.repo, comment_id: existing.id, body: text });
        return { id: existing.id, created: false };
      }
      const { data } = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body: text });
      return { id: data.id, created: true };
    },

    async compareCommits(repo, base, head) {
      // One commit per page: only `status` is read, and the commit list is what makes a comparison large.
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: repo.owner, repo: repo.repo, basehead: `${base}...${head}`, per_page: 1 });
      return data.status satisfies CommitRelation;
    },

    async defaultBranchHead(repo) {
      const { data: repository } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
      const branch = repository.default_branch;
      const { data } = await octokit.rest.repos.getBranch({ owner: repo.owner, repo: repo.repo, branch });
      return { branch, sha: data.commit.sha };
    },

    async createDeployment(repo, deployment) {
      const response = await octokit.rest.repos.createDeployment({
        owner: repo.owner,
        repo: repo.repo,
        ref: deployment.sha,
        environment: deployment.environment,
        description: deployment.description,
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        ...(deployment.task === undefined ? {} : { task: deployment.task }),
        ...(deployment.payload === undefined ? {} : { payload: deployment.payload }),
      });
      const { data } = response;
      if (response.status !== 201 || !("id" in data)) {
        const said = "message" in data && data.message ? `: ${data.message}` : "";
        throw new DeploymentNotCreatedError(
          `GitHub created no deployment of ${repo.owner}/${repo.repo} at ${deployment.sha.slice(0, 12)} to ${deployment.environment} (status ${response.status}${said}).`,
          repo,
          deployment.sha,
          deployment.environment,
        );
      }
      return data.id;
    },

    async createDeploymentStatus(repo, deploymentId, status) {
      await octokit.rest.repos.createDeploymentStatus({
        owner: repo.owner,
        repo: repo.repo,
        deployment_id: deploymentId,
        state: status.state,
        description: fitShort(status.description, maxDeploymentStatusDescriptionChars),
        auto_inactive: status.autoInactive ?? true,
        ...(status.logUrl === undefined ? {} : { log_url: status.logUrl }),
        ...(status.environmentUrl === undefined ? {} : { environment_url: status.environmentUrl }),
      });
    },

    async listIssues(repo, query) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner: repo.owner,
        repo: repo.repo,
        labels: query.label,
        state: query.state,
        sort: "created",
        direction: "desc",
        per_page: 100,
      });
      return issues
        .filter((i) => !i.pull_request)
        .map((i) => ({ number: i.number, title: i.title, body: i.body ?? "", state: i.state === "closed" ? ("closed" as const) : ("open" as const) }));
    },

    async createIssue(repo, issue) {
      const { data } = await octokit.rest.issues.create({ owner: repo.owner, repo: repo.repo, title: issue.title, body: fitText(issue.body, maxCommentChars), labels: issue.labels });
      return data.number;
    },

    async updateIssue(repo, issueNumber, change) {
      await octokit.rest.issues.update({
        owner: repo.owner,
        repo: repo.repo,
        issue_number: issueNumber,
        ...(change.title === undefined ? {} : { title: change.title }),
        ...(change.body === undefined ? {} : { body: fitText(change.body, maxCommentChars) }),
        ...(change.state === undefined ? {} : { state: change.state }),
        ...(change.stateReason === undefined ? {} : { state_reason: change.stateReason }),
      });
    },

    async addIssueComment(repo, issueNumber, body) {
      const { data } = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body: fitText(body, maxCommentChars) });
      return data.id;
    },
  };
}

async function manifestsFromArchive(body: ReadableStream<Uint8Array>, limits: GitHubPortOptions, repo: RepoRef, sha: string): Promise<SourceFile[]> {
  const short = sha.slice(0, 12);
  const where = `${repo.owner}/${repo.repo} at ${short}`;
  const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  let unpacked = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      unpacked += chunk.byteLength;
      if (unpacked > limits.maxArchiveBytes) {
        callback(new GitHubTreeError(`The archive of ${where} is larger than ${limits.maxArchiveBytes} bytes unpacked; meshplan stopped reading it.`, "archive-too-large", repo, sha));
      } else {
        callback(null, chunk);
      }
    },
  });
  const extract = tarExtract();
  const piped = pipeline(source, createGunzip(), bounded, extract).then(
    () => null,
    (err: unknown) => err,
  );

  const files: SourceFile[] = [];
  try {
    for await (const entry of extract) {
      const { header } = entry;
      // Every entry sits under the archive's one top-level directory, `{owner}-{repo}-{shortsha}/`.
      const slash = header.name.indexOf("/");
      const path = slash < 0 ? "" : header.name.slice(slash + 1);
      const safe = path !== "" && !path.split("/").some((s) => s === ".." || s === ".");
      if (header.type !== "file" || !safe || !isManifestFile(path)) {
        entry.resume();
        continue;
      }
      if ((header.size ?? 0) > limits.maxFileBytes) {
        throw new GitHubTreeError(`${path} in ${where} is ${header.size} bytes, over meshplan's limit of ${limits.maxFileBytes} bytes per file.`, "file-too-large", repo, sha, { path });
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      files.push({ path, content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) });
    }
  } catch (err) {
    source.destroy();
    extract.destroy();
    await piped;
    throw asTreeError(err, where, repo, sha);
  }
  const failed = await piped;
  if (failed) throw asTreeError(failed, where, repo, sha);
  return files.sort((a, b) => comparePaths(a.path, b.path));
}

function asTreeError(err: unknown, where: string, repo: RepoRef, sha: string): GitHubTreeError {
  if (err instanceof GitHubTreeError) return err;
  return new GitHubTreeError(`The archive of ${where} cannot be unpacked: ${reason(err)}`, "archive-unreadable", repo, sha, { cause: err });
}

/** An annotation as the checks API takes it, from Octokit's own types of `checks.update`. */
type GitHubAnnotation = NonNullable<NonNullable<RestEndpointMethodTypes["checks"]["update"]["parameters"]["output"]>["annotations"]>[number];

/** GitHub's annotation fields; columns only on a single line ("Omit this parameter if start_line and end_line have different values"). */
function githubAnnotation(a: CheckAnnotation): GitHubAnnotation {
  const startLine = Math.max(1, a.startLine);
  const endLine = Math.max(startLine, a.endLine);
  const out: GitHubAnnotation = {
    path: a.path,
    start_line: startLine,
    end_line: endLine,
    annotation_level: a.level,
    message: fitBytes(a.message, maxAnnotationTextBytes),
  };
  if (a.title) out.title = fitText(a.title, maxAnnotationTitleChars);
  if (a.rawDetails) out.raw_details = fitBytes(a.rawDetails, maxAnnotationTextBytes);
  if (startLine === endLine && a.startColumn !== undefined) {
    out.start_column = Math.max(1, a.startColumn);
    if (a.endColumn !== undefined) out.end_column = Math.max(out.start_column, a.endColumn);
  }
  return out;
}

/** GitHub counts characters (code points); a longer text is cut with a note rather than refused. */
function fitText(text: string, limit: number): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  const note = `\n\n… (cut to GitHub's limit of ${limit} characters)`;
  return chars.slice(0, limit - note.length).join("") + note;
}

/** A one-line text cut to `limit` characters, the last of them "…". */
function fitShort(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join("")}…`;
}

function fitBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const note = "… (cut to GitHub's 64 KB limit)";
  let out = "";
  let size = Buffer.byteLength(note);
  for (const ch of text) {
    size += Buffer.byteLength(ch);
    if (size > limit) break;
    out += ch;
  }
  return out + note;
}

/** ISO 8601 to the second, the form GitHub documents (`YYYY-MM-DDTHH:MM:SSZ`). */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
