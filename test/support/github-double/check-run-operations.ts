/**
 * Check runs (docs.github.com/rest/checks/runs), with the rules GitHub
 * documents beyond the JSON schema:
 * - `head_sha` must be a commit of the repository;
 * - a `conclusion` is required with `status: completed` or `completed_at`,
 *   and giving one sets the status to completed;
 * - `output.title` is required whenever `output` is sent;
 * - at most 50 annotations per request (the schema's maxItems); "each time you
 *   update the check run, annotations are appended", also once it is completed;
 * - annotations: lines start at 1, `end_line` >= `start_line`, columns only when
 *   start and end line are equal, `title` at most 255 characters, `message`
 *   and `raw_details` at most 64 KB;
 * - only the app that created a check run may update it.
 */
import type { AnnotationRecord, CheckRunRecord, RepoRecord } from "./double-state.js";
import { githubTime, resolveCommit } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers, OperationRequest, RequestBody } from "./operation-handler.js";
import { paginate } from "./paginate.js";
import { restShapes } from "./rest-shapes.js";

const maxAnnotationTitle = 255;
const maxAnnotationText = 64 * 1024;

type Output = NonNullable<RequestBody<"checks/create">["output"]> | NonNullable<RequestBody<"checks/update">["output"]>;

export const checkRunOperations: OperationHandlers = {
  "checks/create": (request) => {
    const repo = request.repo!;
    const body = request.body as RequestBody<"checks/create">;
    if (!repo.commits.has(body.head_sha.toLowerCase())) {
      throw GitHubError.unprocessable(request, `No commit found for SHA: ${body.head_sha}`);
    }
    requireConclusion(request, body);
    const annotations = checkAnnotations(request, body.output);
    const now = githubTime(request.now);
    const run: CheckRunRecord = {
      id: request.state.nextId("checkRun"),
      appId: request.app!.id,
      checkSuiteId: checkSuiteId(repo, request, body.head_sha),
      name: body.name,
      headSha: body.head_sha.toLowerCase(),
      externalId: body.external_id ?? null,
      detailsUrl: body.details_url ?? null,
      status: body.conclusion ? "completed" : (body.status ?? "queued"),
      conclusion: body.conclusion ?? null,
      startedAt: body.started_at ?? now,
      completedAt: body.conclusion ? (body.completed_at ?? now) : null,
      output: { title: body.output?.title ?? null, summary: body.output?.summary ?? null, text: body.output?.text ?? null },
      annotations,
      history: [],
    };
    run.history.push({ operation: "create", status: run.status, conclusion: run.conclusion, annotations: annotations.length });
    repo.checkRuns.push(run);
    return { status: 201, body: restShapes.checkRun(request.state, repo, run, request.api) };
  },

  "checks/update": (request) => {
    const repo = request.repo!;
    const run = findRun(request, repo);
    const body = request.body as RequestBody<"checks/update">;
    requireConclusion(request, body);
    const annotations = checkAnnotations(request, body.output);
    const now = githubTime(request.now);
    if (body.name !== undefined) run.name = body.name;
    if (body.details_url !== undefined) run.detailsUrl = body.details_url;
    if (body.external_id !== undefined) run.externalId = body.external_id;
    if (body.started_at !== undefined) run.startedAt = body.started_at;
    if (body.conclusion) {
      run.status = "completed";
      run.conclusion = body.conclusion;
      run.completedAt = body.completed_at ?? now;
    } else if (body.status) {
      run.status = body.status;
      if (body.status !== "completed") {
        run.conclusion = null;
        run.completedAt = null;
      }
    }
    if (body.output) {
      run.output.title = body.output.title ?? run.output.title;
      run.output.summary = body.output.summary;
      if (body.output.text !== undefined) run.output.text = body.output.text;
    }
    run.annotations.push(...annotations);
    run.history.push({ operation: "update", status: run.status, conclusion: run.conclusion, annotations: annotations.length });
    return { status: 200, body: restShapes.checkRun(request.state, repo, run, request.api) };
  },

  "checks/get": (request) => {
    const repo = request.repo!;
    return { status: 200, body: restShapes.checkRun(request.state, repo, findRun(request, repo, { read: true }), request.api) };
  },

  "checks/list-annotations": (request) => {
    const repo = request.repo!;
    const run = findRun(request, repo, { read: true });
    const blobHref = (path: string) => `https://github.com/${repo.owner}/${repo.name}/blob/${run.headSha}/${path}`;
    const all = run.annotations.map((a) => ({
      path: a.path,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: a.raw_details ?? null,
      blob_href: blobHref(a.path),
    }));
    const { page, headers } = paginate(request, all);
    return { status: 200, body: page, headers };
  },

  "checks/list-for-ref": (request) => {
    const repo = request.repo!;
    const commit = resolveCommit(repo, String(request.params.ref));
    if (!commit) throw GitHubError.unprocessable(request, `No commit found for SHA: ${request.params.ref}`);
    let runs = repo.checkRuns.filter((r) => r.headSha === commit.sha);
    const { check_name: checkName, status, filter, app_id: appId } = request.query;
    if (typeof checkName === "string") runs = runs.filter((r) => r.name === checkName);
    if (typeof status === "string") runs = runs.filter((r) => r.status === status);
    if (typeof appId === "number") runs = runs.filter((r) => r.appId === appId);
    // "latest" (the default) keeps only the most recent run of each name from each app.
    if (filter !== "all") {
      const latest = new Map<string, CheckRunRecord>();
      for (const r of runs) {
        const key = `${r.appId}\u0000${r.name}`;
        const seen = latest.get(key);
        if (!seen || seen.id < r.id) latest.set(key, r);
      }
      runs = [...latest.values()];
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    const { page, headers } = paginate(request, runs);
    return {
      status: 200,
      body: { total_count: runs.length, check_runs: page.map((r) => restShapes.checkRun(request.state, repo, r, request.api)) },
      headers,
    };
  },
};

function findRun(request: OperationRequest, repo: RepoRecord, options: { read?: boolean } = {}): CheckRunRecord {
  const run = repo.checkRuns.find((r) => r.id === Number(request.params.check_run_id));
  if (!run) throw GitHubError.notFound(request);
  if (!options.read && run.appId !== request.app?.id) {
    throw GitHubError.forbidden(request, `Invalid app_id \`${request.app?.id}\` - check run can only be modified by the GitHub App that created it.`);
  }
  return run;
}

/** One check suite per commit and app, as GitHub creates them. */
function checkSuiteId(repo: RepoRecord, request: OperationRequest, headSha: string): number {
  const existing = repo.checkRuns.find((r) => r.headSha === headSha.toLowerCase() && r.appId === request.app?.id);
  return existing?.checkSuiteId ?? request.state.nextId("checkSuite");
}

function requireConclusion(request: OperationRequest, body: { status?: string; conclusion?: string; completed_at?: string }): void {
  if (!body.conclusion && (body.status === "completed" || body.completed_at !== undefined)) {
    throw GitHubError.validationFailed(request, [{ resource: "CheckRun", field: "conclusion", code: "missing_field" }]);
  }
}

function checkAnnotations(request: OperationRequest, output: Output | undefined): AnnotationRecord[] {
  if (!output) return [];
  if (output.title === undefined) throw GitHubError.unprocessable(request, 'Invalid request.\n\n"title" wasn\'t supplied.');
  const annotations = (output.annotations ?? []) as AnnotationRecord[];
  const problems: string[] = [];
  annotations.forEach((a, i) => {
    const at = `output.annotations[${i}]`;
    if (a.start_line < 1) problems.push(`${at}.start_line must be at least 1 (line numbers start at 1)`);
    if (a.end_line < a.start_line) problems.push(`${at}.end_line ${a.end_line} is before start_line ${a.start_line}`);
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      problems.push(`${at} has start_column/end_column but spans lines ${a.start_line}-${a.end_line}; columns are only supported on one line`);
    }
    if (a.title !== undefined && [...a.title].length > maxAnnotationTitle) problems.push(`${at}.title is longer than ${maxAnnotationTitle} characters`);
    if (Buffer.byteLength(a.message) > maxAnnotationText) problems.push(`${at}.message is larger than 64 KB`);
    if (a.raw_details !== undefined && Buffer.byteLength(a.raw_details) > maxAnnotationText) problems.push(`${at}.raw_details is larger than 64 KB`);
  });
  if (problems.length) {
    throw GitHubError.validationFailed(
      request,
      problems.map((message) => ({ resource: "CheckRun", field: "annotations", code: "invalid", message })),
    );
  }
  return annotations.map((a) => ({ ...a }));
}
