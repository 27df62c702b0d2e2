/**
 * The job dependencies with real adapters: a GitHub App client whose
 * installation-authenticated ports the jobs use. Shared by the worker Lambda
 * and `meshplan serve`, so both wire GitHub the same way.
 */
import { createGitHubClient } from "../adapters/github/github-client.js";
import { createGitHubPort } from "../adapters/github/github-port.js";
import type { GitHubAppCredentials } from "../adapters/secrets/github-app-credentials.js";
import type { Clock, DriftMetrics, JobQueue, Logger } from "../jobs/ports.js";
import type { ClusterConnector } from "../jobs/rollout.js";
import type { JobDeps } from "../jobs/run-job.js";
import type { SourceFile } from "../manifests/types.js";

export function githubJobDeps(
  credentials: GitHubAppCredentials,
  deps: { logger: Logger; clock: Clock; defaultPack: SourceFile[]; queue: JobQueue; connectCluster: ClusterConnector; metrics: DriftMetrics },
): JobDeps {
  const client = createGitHubClient({ appId: credentials.appId, privateKey: credentials.privateKey, baseUrl: credentials.apiUrl, logger: deps.logger });
  return { ...deps, github: (installationId) => createGitHubPort(client.forInstallation(installationId)) };
}
