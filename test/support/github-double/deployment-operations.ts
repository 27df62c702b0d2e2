/**
 * Deployments and their statuses (docs.github.com/rest/deployments). As on
 * GitHub: the ref must name a commit (422 otherwise); `environment` defaults
 * to `production`, `task` to `deploy`; a status names an existing deployment
 * of the repository (404 otherwise), has a description of at most 140
 * characters (422 otherwise) and, unless it names one, the environment of the
 * deployment's previous status or else of the deployment; and unless
 * `auto_inactive` is false, a `success` status marks earlier successful
 * deployments to the same environment `inactive`.
 * Commit statuses are not modelled: `required_contexts` always pass and
 * `auto_merge` never merges.
 */
import type { DeploymentRecord, DeploymentStatusRecord, RepoRecord } from "./double-state.js";
import { githubTime, resolveCommit } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers, OperationRequest, RequestBody } from "./operation-handler.js";
import { paginate } from "./paginate.js";
import { restShapes } from "./rest-shapes.js";

/** docs.github.com/rest/deployments/statuses: "The maximum description length is 140 characters." */
const maxStatusDescription = 140;

export const deploymentOperations: OperationHandlers = {
  "repos/create-deployment": (request) => {
    const repo = request.repo!;
    const body = request.body as RequestBody<"repos/create-deployment">;
    const commit = resolveCommit(repo, body.ref);
    if (!commit) throw GitHubError.unprocessable(request, `No ref found for: ${body.ref}`);
    const environment = body.environment ?? "production";
    const deployment: DeploymentRecord = {
      id: request.state.nextId("deployment"),
      sha: commit.sha,
      ref: body.ref,
      task: body.task ?? "deploy",
      payload: body.payload ?? {},
      environment,
      description: body.description ?? null,
      transientEnvironment: body.transient_environment ?? false,
      productionEnvironment: body.production_environment ?? environment === "production",
      autoMerge: body.auto_merge ?? true,
      requiredContexts: body.required_contexts ?? null,
      creator: request.state.botUser(request.app!),
      appId: request.app!.id,
      createdAt: githubTime(request.now),
      statuses: [],
    };
    repo.deployments.push(deployment);
    return { status: 201, body: restShapes.deployment(request.state, repo, deployment, request.api) };
  },

  "repos/list-deployments": (request) => {
    const repo = request.repo!;
    const filter = (name: string) => {
      const v = request.query[name];
      return typeof v === "string" && v !== "none" ? v : null;
    };
    const [sha, ref, task, environment] = ["sha", "ref", "task", "environment"].map(filter);
    const found = repo.deployments
      .filter((d) => (!sha || d.sha === sha) && (!ref || d.ref === ref) && (!task || d.task === task) && (!environment || d.environment === environment))
      .sort((a, b) => b.id - a.id);
    const { page, headers } = paginate(request, found);
    return { status: 200, body: page.map((d) => restShapes.deployment(request.state, repo, d, request.api)), headers };
  },

  "repos/get-deployment": (request) => {
    const repo = request.repo!;
    return { status: 200, body: restShapes.deployment(request.state, repo, findDeployment(request, repo), request.api) };
  },

  "repos/create-deployment-status": (request) => {
    const repo = request.repo!;
    const deployment = findDeployment(request, repo);
    const body = request.body as RequestBody<"repos/create-deployment-status">;
    if ([...(body.description ?? "")].length > maxStatusDescription) {
      throw GitHubError.validationFailed(request, [
        { resource: "DeploymentStatus", code: "custom", field: "description", message: `description is too long (maximum is ${maxStatusDescription} characters)` },
      ]);
    }
    const now = githubTime(request.now);
    const status: DeploymentStatusRecord = {
      id: request.state.nextId("deploymentStatus"),
      state: body.state,
      description: body.description ?? "",
      environment: body.environment ?? deployment.statuses.at(-1)?.environment ?? deployment.environment,
      environmentUrl: body.environment_url ?? "",
      logUrl: body.log_url ?? body.target_url ?? "",
      createdAt: now,
    };
    deployment.statuses.push(status);
    if (body.state === "success" && body.auto_inactive !== false) {
      for (const earlier of repo.deployments) {
        if (earlier === deployment || earlier.environment !== deployment.environment || earlier.transientEnvironment) continue;
        if (earlier.statuses.at(-1)?.state !== "success") continue;
        earlier.statuses.push({ ...status, id: request.state.nextId("deploymentStatus"), state: "inactive", description: "" });
      }
    }
    return { status: 201, body: restShapes.deploymentStatus(request.state, repo, deployment, status, request.api) };
  },

  "repos/list-deployment-statuses": (request) => {
    const repo = request.repo!;
    const deployment = findDeployment(request, repo);
    const { page, headers } = paginate(request, [...deployment.statuses].reverse());
    return { status: 200, body: page.map((s) => restShapes.deploymentStatus(request.state, repo, deployment, s, request.api)), headers };
  },
};

function findDeployment(request: OperationRequest, repo: RepoRecord): DeploymentRecord {
  const deployment = repo.deployments.find((d) => d.id === Number(request.params.deployment_id));
  if (!deployment) throw GitHubError.notFound(request);
  return deployment;
}
