/**
 * Worker Lambda: consumes the SQS FIFO job queue and runs each job.
 *
 * Partial batch responses (Lambda `ReportBatchItemFailures`): only the
 * records listed in `batchItemFailures` return to the queue. In a FIFO queue
 * a message group must stay in order, so once a record of a group fails, the
 * group's later records in the batch are returned unrun with it (AWS: "stop
 * processing after the first failure and return the failed and unprocessed
 * messages"); other groups carry on. A body that is not a job fails alone,
 * and after the queue's maxReceiveCount lands in the dead-letter queue.
 *
 * Configuration: GITHUB_APP_ID and GITHUB_PRIVATE_KEY (or a Secrets Manager ARN),
 * MESHPLAN_QUEUE_URL (the rollout job queues one job per cluster on it) and
 * MESHPLAN_KUBECONFIG_SECRET_PREFIXES, comma-separated prefixes of the secret
 * names or ARNs that hold cluster kubeconfigs (meshplan.yaml `kubeconfigSecret`).
 *
 * A job that completes with status "failed" has already reported its error
 * on the check run, and a retry would find that completed run and stop, so
 * it is logged and not returned to the queue.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { childLogger } from "../src/adapters/log/child-logger.js";
import { createJsonLogger } from "../src/adapters/log/json-logger.js";
import { parseJobMessage } from "../src/adapters/queue/parse-job-message.js";
import { ConfigurationError, githubAppCredentials } from "../src/adapters/secrets/github-app-credentials.js";
import { readDefaultPack } from "../src/cli/default-pack.js";
import type { Job } from "../src/jobs/ports.js";
import { runJob, type JobDeps, type JobOutcome } from "../src/jobs/run-job.js";

export interface WorkerDeps {
  runJob(job: Job, deps: JobDeps): Promise<JobOutcome>;
  jobDeps: JobDeps;
}

export type WorkerHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export function createWorkerHandler(deps: WorkerDeps): WorkerHandler {
  const { logger } = deps.jobDeps;

  const runRecord = async (record: SQSRecord): Promise<boolean> => {
    const recordLog = childLogger(logger, { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount });
    let job: Job;
    try {
      job = parseJobMessage(record.body);
    } catch (error) {
      recordLog.error("message is not a job", { error });
      return false;
    }
    const log = childLogger(recordLog, { delivery: job.deliveryId, kind: job.kind, repo: `${job.repo.owner}/${job.repo.repo}` });
    try {
      const outcome = await deps.runJob(job, { ...deps.jobDeps, logger: log });
      if (outcome.status === "failed") log.error("job failed and reported it", { detail: outcome.detail });
      else log.info(`job ${outcome.status}`, { detail: outcome.detail });
      return true;
    } catch (error) {
      log.error("job threw; the message returns to the queue", { error });
      return false;
    }
  };

  return async (event) => {
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      // Standard queues have no group: each record is its own.
      const group = record.attributes.MessageGroupId ?? `message:${record.messageId}`;
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const failed = new Set<string>();
    await Promise.all(
      [...groups.values()].map(async (records) => {
        for (const [i, record] of records.entries()) {
          if (await runRecord(record)) continue;
          for (const unrun of records.slice(i)) failed.add(unrun.messageId);
          return;
        }
      }),
    );
    const batchItemFailures: SQSBatchItemFailure[] = event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId }));
    return { batchItemFailures };
  };
}

// Built on the first invocation and kept for warm ones; importing the module reads no configuration.
let production: Promise<WorkerHandler> | undefined;

async function productionWorker(env: NodeJS.ProcessEnv): Promise<WorkerHandler> {
  // Octokit and its plugins load with the production wiring only: createWorkerHandler stays light to import.
  const { githubJobDeps } = await import("../src/server/github-job-deps.js");
  const logger = createJsonLogger();
  const { SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
  const { secretsManagerReader } = await import("../src/adapters/secrets/secrets-manager.js");
  const readSecret = secretsManagerReader(new SecretsManagerClient({}));
  const credentials = await githubAppCredentials(env, { readSecret });
  const queueUrl = env.MESHPLAN_QUEUE_URL?.trim();
  if (!queueUrl) throw new ConfigurationError("MESHPLAN_QUEUE_URL is not set: the URL of the SQS FIFO job queue the rollout fans out on", "MESHPLAN_QUEUE_URL");
  const { SQSClient } = await import("@aws-sdk/client-sqs");
  const { createSqsQueue } = await import("../src/adapters/queue/sqs-queue.js");
  const { secretKubeconfigConnector } = await import("../src/adapters/kube/connect.js");
  const { emfDriftMetrics } = await import("../src/adapters/metrics/drift-metrics.js");
  const allowedPrefixes = (env.MESHPLAN_KUBECONFIG_SECRET_PREFIXES ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  const jobDeps = githubJobDeps(credentials, {
    logger,
    clock: { now: () => new Date() },
    defaultPack: await readDefaultPack(),
    queue: createSqsQueue(new SQSClient({}), queueUrl),
    connectCluster: secretKubeconfigConnector({ readSecret, allowedPrefixes }),
    metrics: emfDriftMetrics(),
  });
  return createWorkerHandler({ runJob, jobDeps });
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  production ??= productionWorker(process.env).catch((error: unknown) => {
    // Configuration read failed (e.g. a missing variable): try again on the next invocation.
    production = undefined;
    throw error;
  });
  return (await production)(event);
}
