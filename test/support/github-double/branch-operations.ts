/**
 * A repository and its branches: GET /repos/{owner}/{repo}
 * (docs.github.com/rest/repos/repos#get-a-repository), which names the
 * default branch, and GET /repos/{owner}/{repo}/branches/{branch}
 * (docs.github.com/rest/branches/branches#get-a-branch), whose `commit` is the
 * branch head: the last commit added to that branch.
 */
import { errorBody, GitHubError } from "./github-error.js";
import type { OperationHandlers } from "./operation-handler.js";
import { restShapes } from "./rest-shapes.js";

export const branchOperations: OperationHandlers = {
  "repos/get": (request) => ({ status: 200, body: restShapes.fullRepository(request.state, request.repo!, request.api) }),

  "repos/get-branch": (request) => {
    const repo = request.repo!;
    const name = String(request.params.branch);
    const head = repo.commits.get(repo.branches.get(name) ?? "");
    // GitHub's own wording for a branch it does not have.
    if (!head) throw new GitHubError(404, errorBody("Branch not found", request.operation.docsUrl, 404));
    return { status: 200, body: restShapes.branchWithProtection(request.state, repo, name, head, request.api) };
  },
};
