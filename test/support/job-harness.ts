/**
 * meshplan's jobs run in this process against the GitHub API double, through the real GitHub
 * port, with the in-process queue (SQS FIFO's contract in memory) in place of SQS.
 */
import { createGitHubPort } from "../../src/adapters/github/github-port.js";
import { createInProcessQueue, type InProcessQueue } from "../../src/adapters/queue/in-process-queue.js";
import type { Clock, DriftMetrics, EnqueueOptions, Job, JobQueue, Logger } from "../../src/jobs/ports.js";
import type { ClusterConnector } from "../../src/jobs/rollout.js";
import { runJob, type JobDeps, type JobOutcome } from "../../src/jobs/run-job.js";
import { githubFixture, type GitHubFixture } from "./github-double/index.js";

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

/** The in-process queue, recording what is offered to it and never running a job. */
export function recordingQueue() {
  const offered: { job: Job; options: EnqueueOptions; enqueued: boolean }[] = [];
  const inner = createInProcessQueue(async () => {}, { logger: quietLogger });
  const queue: JobQueue = {
    async enqueue(job, options) {
      const r = await inner.enqueue(job, options);
      offered.push({ job, options, enqueued: r.enqueued });
      return r;
    },
  };
  return { offered, queue };
}

export interface JobHarnessOptions {
  connectCluster: ClusterConnector;
  metrics: DriftMetrics;
  /** A GitHub double of the test's own; a fresh one unless given. */
  gh?: GitHubFixture;
  clock?: Clock;
  /** Sees each job's outcome once the queue has run it. */
  onOutcome?(job: Job, outcome: JobOutcome): void;
}

export interface JobHarness {
  gh: GitHubFixture;
  jobDeps: JobDeps;
  /** Runs each job it is given with runJob and jobDeps; the jobs a job queues run too. */
  queue: InProcessQueue;
}

export function jobHarness(options: JobHarnessOptions): JobHarness {
  const gh = options.gh ?? githubFixture();
  const jobDeps: JobDeps = {
    github: () => createGitHubPort(gh.octokit),
    clock: options.clock ?? { now: () => new Date() },
    logger: quietLogger,
    defaultPack: [],
    queue: { enqueue: (job, enqueueOptions) => queue.enqueue(job, enqueueOptions) },
    connectCluster: options.connectCluster,
    metrics: options.metrics,
  };
  const queue = createInProcessQueue(
    async (job) => {
      const outcome = await runJob(job, jobDeps);
      options.onOutcome?.(job, outcome);
    },
    { logger: quietLogger },
  );
  return { gh, jobDeps, queue };
}
