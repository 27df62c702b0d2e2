/**
 * Issue comments, which are also a pull request's conversation comments
 * (docs.github.com/rest/issues/comments). As on GitHub: listed oldest first,
 * a body of at most 65,536 characters, the issue or pull request must exist.
 */
import type { CommentRecord, RepoRecord } from "./double-state.js";
import { githubTime } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers, OperationRequest, RequestBody } from "./operation-handler.js";
import { paginate } from "./paginate.js";
import { restShapes } from "./rest-shapes.js";

const maxBody = 65_536;

export const issueCommentOperations: OperationHandlers = {
  "issues/list-comments": (request) => {
    const repo = request.repo!;
    const number = issueNumber(request, repo);
    let comments = repo.comments.filter((c) => c.issueNumber === number);
    if (typeof request.query.since === "string") {
      const since = Date.parse(request.query.since);
      comments = comments.filter((c) => Date.parse(c.updatedAt) >= since);
    }
    const { page, headers } = paginate(request, comments);
    return { status: 200, body: page.map((c) => restShapes.issueComment(request.state, repo, c, request.api)), headers };
  },

  "issues/create-comment": (request) => {
    const repo = request.repo!;
    const number = issueNumber(request, repo);
    const { body } = request.body as RequestBody<"issues/create-comment">;
    checkBody(request, body);
    const now = githubTime(request.now);
    const comment: CommentRecord = {
      id: request.state.nextId("comment"),
      issueNumber: number,
      body,
      user: request.state.botUser(request.app!),
      appId: request.app!.id,
      createdAt: now,
      updatedAt: now,
    };
    repo.comments.push(comment);
    const shape = restShapes.issueComment(request.state, repo, comment, request.api);
    return { status: 201, body: shape, headers: { location: shape.url } };
  },

  "issues/get-comment": (request) => {
    const repo = request.repo!;
    return { status: 200, body: restShapes.issueComment(request.state, repo, findComment(request, repo), request.api) };
  },

  "issues/update-comment": (request) => {
    const repo = request.repo!;
    const comment = findComment(request, repo);
    const { body } = request.body as RequestBody<"issues/update-comment">;
    checkBody(request, body);
    comment.body = body;
    comment.updatedAt = githubTime(request.now);
    return { status: 200, body: restShapes.issueComment(request.state, repo, comment, request.api) };
  },

  "issues/delete-comment": (request) => {
    const repo = request.repo!;
    const comment = findComment(request, repo);
    repo.comments.splice(repo.comments.indexOf(comment), 1);
    return { status: 204 };
  },
};

function issueNumber(request: OperationRequest, repo: RepoRecord): number {
  const number = Number(request.params.issue_number);
  if (!repo.issues.has(number) && !repo.pulls.has(number)) throw GitHubError.notFound(request);
  return number;
}

function findComment(request: OperationRequest, repo: RepoRecord): CommentRecord {
  const comment = repo.comments.find((c) => c.id === Number(request.params.comment_id));
  if (!comment) throw GitHubError.notFound(request);
  return comment;
}

function checkBody(request: OperationRequest, body: string): void {
  if ([...body].length > maxBody) {
    throw GitHubError.validationFailed(request, [
      { resource: "IssueComment", code: "unprocessable", field: "data", message: `Body is too long (maximum is ${maxBody} characters)` },
    ]);
  }
}
