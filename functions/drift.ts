/**
 * Drift Lambda, on an EventBridge schedule: queues one `drift` job per
 * repository it watches; the worker reads each repository's meshplan.yaml on
 * its default branch and checks every cluster listed there, one job per
 * cluster (src/jobs/drift.ts).
 *
 * Configuration: MESHPLAN_DRIFT_REPOSITORIES, comma-separated `owner/repo`;
 * MESHPLAN_QUEUE_URL, the FIFO job queue; GITHUB_APP_ID and
 * GITHUB_PRIVATE_KEY (or a Secrets Manager ARN), to find the app's
 * installation on each repository. A repository the app is not installed on
 * is logged and skipped; the others are still queued.
 */
import type { ScheduledEvent } from "aws-lambda";
import { createJsonLogger } from "../src/adapters/log/json-logger.js";
import { ConfigurationError, githubAppCredentials } from "../src/adapters/secrets/github-app-credentials.js";
import type { DriftJob, JobQueue, Logger, RepoRef } from "../src/jobs/ports.js";

export interface DriftScheduleDeps {
  repositories: readonly RepoRef[];
  installationFor(repo: RepoRef): Promise<number>;
  queue: JobQueue;
  logger: Logger;
}

export interface DriftScheduleResult {
  queued: string[];
  skipped: { repository: string; reason: string }[];
}

export function createDriftHandler(deps: DriftScheduleDeps): (event: Pick<ScheduledEvent, "id" | "time">) => Promise<DriftScheduleResult> {
  return async (event) => {
    const result: DriftScheduleResult = { queued: [], skipped: [] };
    for (const repo of deps.repositories) {
      const name = `${repo.owner}/${repo.repo}`;
      try {
        const installationId = await deps.installationFor(repo);
        // One run per schedule event and repository: a retried invocation of the same event is deduplicated.
        const job: DriftJob = { kind: "drift", deliveryId: `${event.id}:${name}`, installationId, repo };
        const { enqueued } = await deps.queue.enqueue(job, { deduplicationId: job.deliveryId, groupId: `${name}:drift` });
        if (enqueued) result.queued.push(name);
        else result.skipped.push({ repository: name, reason: "already queued for this schedule event" });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        deps.logger.error("could not queue the drift check", { repository: name, error: reason });
        result.skipped.push({ repository: name, reason });
      }
    }
    deps.logger.info("drift checks queued", { event: event.id, time: event.time, queued: result.queued, skipped: result.skipped.length });
    return result;
  };
}

/** `owner/repo, owner/repo` → refs; anything else is a configuration error naming the entry. */
export function parseRepositories(value: string | undefined): RepoRef[] {
  const entries = (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (entries.length === 0) {
    throw new ConfigurationError("MESHPLAN_DRIFT_REPOSITORIES is not set: comma-separated owner/repo of the repositories to check", "MESHPLAN_DRIFT_REPOSITORIES");
  }
  return entries.map((entry) => {
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(entry);
    if (!m) throw new ConfigurationError(`MESHPLAN_DRIFT_REPOSITORIES: "${entry}" is not owner/repo`, "MESHPLAN_DRIFT_REPOSITORIES");
    return { owner: m[1]!, repo: m[2]! };
  });
}

type DriftHandler = ReturnType<typeof createDriftHandler>;
let production: Promise<DriftHandler> | undefined;

async function productionHandler(env: NodeJS.ProcessEnv): Promise<DriftHandler> {
  const repositories = parseRepositories(env.MESHPLAN_DRIFT_REPOSITORIES);
  const queueUrl = env.MESHPLAN_QUEUE_URL?.trim();
  if (!queueUrl) throw new ConfigurationError("MESHPLAN_QUEUE_URL is not set: the URL of the SQS FIFO job queue", "MESHPLAN_QUEUE_URL");
  const [{ SQSClient }, { createSqsQueue }, { SecretsManagerClient }, { secretsManagerReader }, { createGitHubClient }] = await Promise.all([
    import("@aws-sdk/client-sqs"),
    import("../src/adapters/queue/sqs-queue.js"),
    import("@aws-sdk/client-secrets-manager"),
    import("../src/adapters/secrets/secrets-manager.js"),
    import("../src/adapters/github/github-client.js"),
  ]);
  const logger = createJsonLogger();
  const credentials = await githubAppCredentials(env, { readSecret: secretsManagerReader(new SecretsManagerClient({})) });
  const client = createGitHubClient({ appId: credentials.appId, privateKey: credentials.privateKey, baseUrl: credentials.apiUrl, logger });
  return createDriftHandler({
    repositories,
    installationFor: (repo) => client.installationFor(repo),
    queue: createSqsQueue(new SQSClient({}), queueUrl),
    logger,
  });
}

export async function handler(event: ScheduledEvent): Promise<DriftScheduleResult> {
  production ??= productionHandler(process.env).catch((error: unknown) => {
    production = undefined;
    throw error;
  });
  return (await production)(event);
}
