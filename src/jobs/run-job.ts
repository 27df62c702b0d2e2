/** Runs one queued job with the adapters the caller wires (Lambda worker, `meshplan serve`, tests). */
import type { SourceFile } from "../manifests/types.js";
import type { Clock, GitHubPort, Job, Logger } from "./ports.js";
import { runPullRequestCheck } from "./pull-request-check.js";

export interface JobDeps {
  /** A GitHub port authenticated as the job's installation. */
  github(installationId: number): GitHubPort;
  clock: Clock;
  logger: Logger;
  /** meshplan's bundled policy pack (`@default/...`). */
  defaultPack: SourceFile[];
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
      // Applying to clusters is the rollout job's work (server-side apply + ApplySet prune); until a
      // deployment target is configured and that job exists, a push is acknowledged and recorded here.
      deps.logger.info("rollout requested; cluster rollout is not available in this version", { sha: job.sha, ref: job.ref });
      return { status: "skipped", detail: `rollout of ${job.sha.slice(0, 12)} is not available in this version` };
  }
}
