/** Runs one queued job with the adapters the caller wires (Lambda worker, `meshplan serve`, tests). */
import type { SourceFile } from "../manifests/types.js";
import { runClusterDrift, runDriftFanOut } from "./drift.js";
import type { Clock, DriftMetrics, GitHubPort, Job, JobQueue, Logger } from "./ports.js";
import { runPullRequestCheck } from "./pull-request-check.js";
import { runClusterRollout, runRollout, type ClusterConnector } from "./rollout.js";

export interface JobDeps {
  /** A GitHub port authenticated as the job's installation. */
  github(installationId: number): GitHubPort;
  clock: Clock;
  logger: Logger;
  /** meshplan's bundled policy pack (`@default/...`). */
  defaultPack: SourceFile[];
  /** Where the rollout job queues its per-cluster rollouts. */
  queue: JobQueue;
  /** Connects to a cluster named in meshplan.yaml. */
  connectCluster: ClusterConnector;
  /** Where drift checks report their counts. */
  metrics: DriftMetrics;
}

export interface JobOutcome {
  status: "done" | "skipped" | "failed";
  detail: string;
}

export async function runJob(job: Job, deps: JobDeps): Promise<JobOutcome> {
  switch (job.kind) {
    case "pr-check": {
      const r = await runPullRequestCheck(job, {
        github: deps.github(job.installationId),
        clock: deps.clock,
        logger: deps.logger,
        defaultPack: deps.defaultPack,
      });
      return { status: r.status, detail: r.detail };
    }
    case "rollout":
      return runRollout(job, { github: deps.github(job.installationId), queue: deps.queue, clock: deps.clock, logger: deps.logger });
    case "cluster-rollout":
      return runClusterRollout(job, {
        github: deps.github(job.installationId),
        connect: deps.connectCluster,
        clock: deps.clock,
        logger: deps.logger,
      });
    case "drift":
      return runDriftFanOut(job, { github: deps.github(job.installationId), queue: deps.queue, logger: deps.logger });
    case "cluster-drift":
      return runClusterDrift(job, {
        github: deps.github(job.installationId),
        connect: deps.connectCluster,
        clock: deps.clock,
        logger: deps.logger,
        metrics: deps.metrics,
      });
  }
}
