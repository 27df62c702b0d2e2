/**
 * The PR check job: plan the pull request's base and head revisions, report
 * the result as the `meshplan` check run (summary + annotations on changed
 * lines) and as one pull request comment kept up to date.
 *
 * Idempotent per webhook delivery: a redelivered webhook finds the check run
 * it created (external_id = delivery id) and does nothing more. Whatever
 * fails after the check run exists, the run is completed with the error, so
 * it never stays "in progress".
 */
import { plan } from "./plan.js";
import { renderPlanMarkdown } from "../report/markdown.js";
import { planVerdict } from "../report/plan-verdict.js";
import type { PlanReport } from "../report/plan-report.js";
import type { SourceFile } from "../manifests/types.js";
import { checkAnnotations } from "./check-annotations.js";
import type { CheckConclusion, Clock, GitHubPort, Logger, PullRequestCheckJob } from "./ports.js";

export { CHECK_NAME, COMMENT_MARKER, GITHUB_TEXT_LIMIT } from "./check-names.js";
import { CHECK_NAME, COMMENT_MARKER, GITHUB_TEXT_LIMIT } from "./check-names.js";

export interface PullRequestCheckDeps {
  github: GitHubPort;
  clock: Clock;
  logger: Logger;
  defaultPack: readonly SourceFile[];
}

export interface PullRequestCheckOutcome {
  status: "done" | "skipped" | "failed";
  detail: string;
  checkRunId: number | null;
  conclusion: CheckConclusion | null;
}

/** failure on error findings, neutral on warnings only, success otherwise. */
export function checkConclusion(report: PlanReport): CheckConclusion {
  if (report.findings.some((f) => f.severity === "error")) return "failure";
  if (report.findings.some((f) => f.severity === "warning")) return "neutral";
  return "success";
}

export async function runPullRequestCheck(job: PullRequestCheckJob, deps: PullRequestCheckDeps): Promise<PullRequestCheckOutcome> {
  const { github, clock, logger } = deps;
  const repo = job.repo;
  const existing = (await github.listCheckRuns(repo, job.headSha, CHECK_NAME)).find((r) => r.externalId === job.deliveryId);
  if (existing && existing.status === "completed" && !job.rerequested) {
    logger.info("check already reported for this delivery", { checkRunId: existing.id });
    return { status: "skipped", detail: `delivery ${job.deliveryId} was already checked (check run ${existing.id})`, checkRunId: existing.id, conclusion: null };
  }
  // A run this delivery created but never completed (the worker stopped mid-job) is reused, not duplicated.
  const runId =
    existing && existing.status !== "completed" && !job.rerequested
      ? existing.id
      : await github.createCheckRun(repo, {
          name: CHECK_NAME,
          headSha: job.headSha,
          externalId: job.deliveryId,
          startedAt: clock.now(),
          title: "Planning",
          summary: `meshplan is computing the routing of \`${job.baseRef}\` and \`${job.headRef}\`.`,
        });

  try {
    const [baseFiles, headFiles, changed] = await Promise.all([
      github.readTree(repo, job.baseSha),
      github.readTree(repo, job.headSha),
      github.listChangedFiles(repo, job.pullNumber),
    ]);
    logger.info("trees read", { baseFiles: baseFiles.length, headFiles: headFiles.length, changedFiles: changed.length });
    // Both revisions come from the base repository (a fork's head commit is reachable there);
    // the rules (meshplan.yaml, policies) are the base revision's, whatever the head changes.
    const { report } = plan(
      { label: job.baseRef, commit: job.baseSha, files: baseFiles },
      { label: job.headRef, commit: job.headSha, files: headFiles },
      { defaultPack: deps.defaultPack },
    );
    const conclusion = checkConclusion(report);
    const summary = renderPlanMarkdown(report, { maxChars: GITHUB_TEXT_LIMIT });
    await github.completeCheckRun(repo, runId, {
      conclusion,
      completedAt: clock.now(),
      output: { title: planVerdict(report).headline, summary, annotations: checkAnnotations(report.findings, changed) },
    });
    const body = `${COMMENT_MARKER}\n${renderPlanMarkdown(report, { maxChars: GITHUB_TEXT_LIMIT - COMMENT_MARKER.length - 1 })}`;
    const comment = await github.upsertComment(repo, job.pullNumber, COMMENT_MARKER, body);
    logger.info("check completed", { checkRunId: runId, conclusion, commentId: comment.id, commentCreated: comment.created });
    return { status: "done", detail: `check run ${runId}: ${conclusion}`, checkRunId: runId, conclusion };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.error("check failed", { checkRunId: runId, error: message });
    await github.completeCheckRun(repo, runId, {
      conclusion: "failure",
      completedAt: clock.now(),
      output: {
        title: "meshplan could not check this change",
        summary:
          `meshplan stopped before it could plan this pull request:\n\n\`\`\`\n${message.slice(0, 4000)}\n\`\`\`\n\n` +
          "Nothing was reported about the manifests. Re-run the check from the Checks tab once the cause is fixed.",
        annotations: [],
      },
    });
    return { status: "failed", detail: message, checkRunId: runId, conclusion: "failure" };
  }
}
