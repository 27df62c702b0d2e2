/**
 * Issues (docs.github.com/rest/issues/issues): create, update, get and list
 * with the `state`, `labels` (all must match), `creator`, `sort`, `direction`
 * and `since` filters, and pages. As on GitHub, pull requests are issues too:
 * they share the number sequence and appear in the listing, label filter
 * included, with a `pull_request` field (the double's pull requests are not
 * updatable here). A body holds at most 65,536 characters (422 otherwise).
 */
import type { IssueRecord, PullRequestRecord, RepoRecord } from "./double-state.js";
import { githubTime } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers, OperationRequest, RequestBody } from "./operation-handler.js";
import { paginate } from "./paginate.js";
import { restShapes } from "./rest-shapes.js";

type LabelInput = string | { name?: string };

const maxBody = 65_536;
/** Who the double's pull requests are opened by. */
const pullRequestAuthor = "octocat";

export const issueOperations: OperationHandlers = {
  "issues/create": (request) => {
    const repo = request.repo!;
    const body = request.body as RequestBody<"issues/create">;
    checkBody(request, body.body);
    const now = githubTime(request.now);
    const issue: IssueRecord = {
      id: request.state.nextId("issue"),
      number: request.state.nextIssueNumber(repo),
      title: String(body.title),
      body: body.body ?? null,
      state: "open",
      stateReason: null,
      labels: labelNames(body.labels as LabelInput[] | undefined),
      user: request.state.botUser(request.app!),
      appId: request.app!.id,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    repo.issues.set(issue.number, issue);
    const shape = restShapes.issue(request.state, repo, issue, request.api);
    return { status: 201, body: shape, headers: { location: shape.url } };
  },

  "issues/update": (request) => {
    const repo = request.repo!;
    const issue = repo.issues.get(Number(request.params.issue_number));
    if (!issue) throw GitHubError.notFound(request);
    const body = request.body as RequestBody<"issues/update">;
    checkBody(request, body.body);
    const now = githubTime(request.now);
    if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
    if (body.body !== undefined) issue.body = body.body;
    if (body.labels !== undefined) issue.labels = labelNames(body.labels as LabelInput[]);
    if (body.state && body.state !== issue.state) {
      issue.state = body.state;
      issue.closedAt = body.state === "closed" ? now : null;
      issue.stateReason = body.state === "closed" ? (body.state_reason ?? "completed") : "reopened";
    } else if (body.state_reason !== undefined) {
      issue.stateReason = body.state_reason;
    }
    issue.updatedAt = now;
    return { status: 200, body: restShapes.issue(request.state, repo, issue, request.api) };
  },

  "issues/get": (request) => {
    const repo = request.repo!;
    const number = Number(request.params.issue_number);
    const issue = repo.issues.get(number);
    if (issue) return { status: 200, body: restShapes.issue(request.state, repo, issue, request.api) };
    const pr = repo.pulls.get(number);
    if (pr) return { status: 200, body: pullRequestAsIssue(request, repo, pr) };
    throw GitHubError.notFound(request);
  },

  "issues/list-for-repo": (request) => {
    const repo = request.repo!;
    const { state, labels, creator, sort, direction, since } = request.query as {
      state: "open" | "closed" | "all";
      labels?: string;
      creator?: string;
      sort: "created" | "updated" | "comments";
      direction: "asc" | "desc";
      since?: string;
    };
    const wanted = labels ? labels.split(",").map((l) => l.trim()).filter(Boolean) : [];
    type Listed = { number: number; createdAt: string; updatedAt: string; comments: number; shape: () => unknown };
    const listed: Listed[] = [];
    for (const issue of repo.issues.values()) {
      if (state !== "all" && issue.state !== state) continue;
      if (!wanted.every((l) => issue.labels.some((have) => have.toLowerCase() === l.toLowerCase()))) continue;
      if (creator && issue.user.login.toLowerCase() !== creator.toLowerCase()) continue;
      if (since && Date.parse(issue.updatedAt) < Date.parse(since)) continue;
      const comments = repo.comments.filter((c) => c.issueNumber === issue.number).length;
      listed.push({ number: issue.number, createdAt: issue.createdAt, updatedAt: issue.updatedAt, comments, shape: () => restShapes.issue(request.state, repo, issue, request.api) });
    }
    for (const pr of repo.pulls.values()) {
      if (state !== "all" && pr.state !== state) continue;
      if (creator && creator.toLowerCase() !== pullRequestAuthor) continue;
      if (!wanted.every((l) => pr.labels.some((have) => have.toLowerCase() === l.toLowerCase()))) continue;
      if (since && Date.parse(pr.createdAt) < Date.parse(since)) continue;
      const comments = repo.comments.filter((c) => c.issueNumber === pr.number).length;
      listed.push({ number: pr.number, createdAt: pr.createdAt, updatedAt: pr.createdAt, comments, shape: () => pullRequestAsIssue(request, repo, pr) });
    }
    const key = (l: Listed) => (sort === "updated" ? Date.parse(l.updatedAt) : sort === "comments" ? l.comments : Date.parse(l.createdAt));
    // Timestamps are to the second; within one, later numbers are newer.
    listed.sort((a, b) => (direction === "asc" ? key(a) - key(b) || a.number - b.number : key(b) - key(a) || b.number - a.number));
    const { page, headers } = paginate(request, listed);
    return { status: 200, body: page.map((l) => l.shape()), headers };
  },
};

function checkBody(request: OperationRequest, body: string | null | undefined): void {
  if (body && [...body].length > maxBody) {
    throw GitHubError.validationFailed(request, [{ resource: "Issue", code: "custom", field: "body", message: `body is too long (maximum is ${maxBody} characters)` }]);
  }
}

function labelNames(labels: LabelInput[] | undefined): string[] {
  return (labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean);
}

function pullRequestAsIssue(request: OperationRequest, repo: RepoRecord, pr: PullRequestRecord) {
  const author = request.state.user(pullRequestAuthor);
  const issue: IssueRecord = {
    id: pr.id,
    number: pr.number,
    title: pr.title,
    body: null,
    state: pr.state,
    stateReason: null,
    labels: pr.labels,
    user: author,
    appId: null,
    createdAt: pr.createdAt,
    updatedAt: pr.createdAt,
    closedAt: null,
  };
  const web = `https://github.com/${repo.owner}/${repo.name}/pull/${pr.number}`;
  return {
    ...restShapes.issue(request.state, repo, issue, request.api),
    html_url: web,
    pull_request: { url: `${request.api}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`, html_url: web, diff_url: `${web}.diff`, patch_url: `${web}.patch`, merged_at: null },
  };
}
