/**
 * Scheduled drift detection. A schedule queues a `drift` job per repository;
 * it reads meshplan.yaml at the head of the default branch and queues one
 * `cluster-drift` job per cluster, in the cluster's own queue group (the
 * same group as its rollouts, so a check never races a rollout).
 *
 * A cluster-drift job compares the cluster with git (src/cluster/check-drift.ts)
 * and keeps ONE GitHub issue per cluster: opened when drift appears, updated
 * in place while it lasts, closed with a comment once the cluster matches git
 * again. The issue is found by a hidden marker in its body, never by title,
 * so renaming it does not spawn a duplicate. With `driftPolicy: correct` the
 * desired state is re-applied and the issue says so.
 */
import { checkDrift, type DriftCheck } from "../cluster/check-drift.js";
import type { ClusterPort } from "../cluster/cluster-port.js";
import { renderDriftMarkdown } from "../cluster/drift.js";
import { CONFIG_FILE, loadConfig } from "../config/meshplan-config.js";
import { isEmptyRoutingDiff } from "../routing/diff.js";
import { renderRoutingDiffMarkdown } from "../report/markdown.js";
import { renderSyncMarkdown } from "../report/sync-report.js";
import { MESHPLAN_VERSION } from "../version.js";
import type { Clock, ClusterDriftJob, DriftJob, DriftMeasurement, DriftMetrics, GitHubPort, JobQueue, Logger, RepoRef } from "./ports.js";
import { clusterGroupId, desiredForCluster, type ClusterConnector } from "./rollout.js";

export const DRIFT_LABEL = "meshplan-drift";

export function driftIssueTitle(cluster: string): string {
  return `meshplan: drift on ${cluster}`;
}

/** The hidden marker that identifies a cluster's drift issue. */
export function driftIssueMarker(cluster: string): string {
  return `<!-- meshplan:drift:${cluster} -->`;
}

export interface DriftFanOutDeps {
  github: GitHubPort;
  queue: JobQueue;
  logger: Logger;
}

export interface ClusterDriftDeps {
  github: GitHubPort;
  connect: ClusterConnector;
  clock: Clock;
  logger: Logger;
  metrics: DriftMetrics;
}

export interface DriftOutcome {
  status: "done" | "skipped" | "failed";
  detail: string;
}

export async function runDriftFanOut(job: DriftJob, deps: DriftFanOutDeps): Promise<DriftOutcome> {
  const head = await deps.github.defaultBranchHead(job.repo);
  const files = await deps.github.readTree(job.repo, head.sha);
  const { config } = loadConfig(files.find((f) => f.path === CONFIG_FILE) ?? null);
  if (config.clusters.length === 0) {
    return { status: "skipped", detail: `meshplan.yaml on ${head.branch} lists no clusters; nothing to check` };
  }
  for (const cluster of config.clusters) {
    const next: ClusterDriftJob = {
      kind: "cluster-drift",
      deliveryId: job.deliveryId,
      installationId: job.installationId,
      repo: job.repo,
      sha: head.sha,
      ref: head.branch,
      cluster: cluster.name,
    };
    await deps.queue.enqueue(next, { deduplicationId: `${job.deliveryId}:drift:${cluster.name}`, groupId: clusterGroupId(job.repo, cluster.name) });
  }
  return { status: "done", detail: `queued drift checks of ${config.clusters.map((c) => c.name).join(", ")} against ${head.branch}@${head.sha.slice(0, 12)}` };
}

export async function runClusterDrift(job: ClusterDriftJob, deps: ClusterDriftDeps): Promise<DriftOutcome> {
  const { github, logger } = deps;
  const files = await github.readTree(job.repo, job.sha);
  const { config } = loadConfig(files.find((f) => f.path === CONFIG_FILE) ?? null);
  const cluster = config.clusters.find((c) => c.name === job.cluster);
  if (!cluster) return { status: "skipped", detail: `cluster ${job.cluster} is no longer in meshplan.yaml on ${job.ref}` };

  const desired = desiredForCluster(files, cluster, config);
  let check: DriftCheck;
  let port: ClusterPort | null = null;
  try {
    port = await deps.connect(cluster);
  } catch (error) {
    check = { cluster: cluster.name, status: "unreachable", commit: job.sha, message: error instanceof Error ? error.message : String(error) };
  }
  if (port) {
    check = await checkDrift(port, {
      ...desired,
      applySet: cluster.applySet,
      defaultNamespace: cluster.namespace,
      commit: job.sha,
      version: MESHPLAN_VERSION,
      policy: cluster.driftPolicy,
      prune: cluster.prune,
      pruneMaxShare: cluster.pruneMaxShare,
    });
  }
  const result = check!;
  deps.metrics.record(measurement(result));
  const outcome = await reportOnIssue(job, result, deps);
  logger.info("drift check finished", { cluster: cluster.name, status: result.status, issue: outcome.detail });
  return outcome;
}

export function measurement(check: DriftCheck): DriftMeasurement {
  if (check.status !== "checked") {
    return { cluster: check.cluster, status: check.status, driftedObjects: 0, driftedFields: 0, missing: 0, unexpected: 0, corrected: false };
  }
  const c = check.report.counts;
  return {
    cluster: check.cluster,
    status: check.report.clean ? "clean" : "drifted",
    driftedObjects: c.drifted,
    driftedFields: c.driftedFields,
    missing: c.missing,
    unexpected: c.unexpected,
    corrected: check.correction?.status === "synced",
  };
}

async function reportOnIssue(job: ClusterDriftJob, check: DriftCheck, deps: ClusterDriftDeps): Promise<DriftOutcome> {
  const { github, clock } = deps;
  const repo: RepoRef = job.repo;
  const marker = driftIssueMarker(job.cluster);
  const open = (await github.listIssues(repo, { label: DRIFT_LABEL, state: "open" })).find((i) => i.body.includes(marker));
  const when = clock.now().toISOString();
  const at = `\`${job.ref}\` @ \`${job.sha.slice(0, 7)}\``;

  if (check.status !== "checked") {
    const note = `Could not check cluster \`${job.cluster}\` at ${when}: ${check.message}`;
    if (open) {
      // Keep what the last successful check found; say that this one could not look.
      const kept = open.body.split(LAST_ATTEMPT)[0]!.trimEnd();
      await github.updateIssue(repo, open.number, { body: `${kept}\n\n${LAST_ATTEMPT}\n> ⚠️ ${note}\n` });
    }
    return { status: "failed", detail: `could not check ${job.cluster}: ${check.message}` };
  }

  if (check.report.clean) {
    if (!open) return { status: "done", detail: `${job.cluster} matches ${job.ref}; no drift issue open` };
    await github.addIssueComment(repo, open.number, `✅ \`${job.cluster}\` matches ${at} again (checked ${when}). Closing.`);
    await github.updateIssue(repo, open.number, { state: "closed", stateReason: "completed" });
    return { status: "done", detail: `${job.cluster} is clean again; closed issue #${open.number}` };
  }

  const body = driftIssueBody(job, check, when);
  let number: number;
  if (open) {
    number = open.number;
    await github.updateIssue(repo, number, { body });
  } else {
    number = await github.createIssue(repo, { title: driftIssueTitle(job.cluster), body, labels: [DRIFT_LABEL] });
  }
  if (check.correction) {
    const corrected = check.correction.status === "synced";
    await github.addIssueComment(
      repo,
      number,
      corrected
        ? `🔧 meshplan re-applied ${at} to \`${job.cluster}\` (driftPolicy: correct), taking its fields back. The next check closes this issue if the cluster stays in line.`
        : `❌ meshplan tried to correct the drift (driftPolicy: correct) and could not:\n\n${renderSyncMarkdown(check.correction)}`,
    );
  }
  return { status: "done", detail: `${job.cluster} drifted (${check.report.counts.drifted} changed, ${check.report.counts.missing} missing, ${check.report.counts.unexpected} unexpected); issue #${number}${open ? " updated" : " opened"}` };
}

const LAST_ATTEMPT = "<!-- meshplan:last-attempt -->";

export function driftIssueBody(job: ClusterDriftJob, check: Extract<DriftCheck, { status: "checked" }>, when: string): string {
  const out: string[] = [
    driftIssueMarker(job.cluster),
    `Cluster \`${job.cluster}\` differs from \`${job.ref}\` @ \`${job.sha.slice(0, 7)}\` (checked ${when}).`,
    "",
    renderDriftMarkdown(check.report, { cluster: job.cluster }),
  ];
  if (!isEmptyRoutingDiff(check.routing)) {
    out.push("", "## What live traffic does differently", "", "Routing of the live objects → routing git describes:", "", renderRoutingDiffMarkdown(check.routing, { maxChars: 30_000 }));
  }
  if (check.problems.length) out.push("", "## Not compared", "", ...check.problems.map((p) => `- ${p}`));
  out.push(
    "",
    "---",
    `meshplan updates this issue on every check while the drift lasts and closes it when \`${job.cluster}\` matches git again. ` +
      "To make git win, run `meshplan apply --cluster " + job.cluster + " --force-conflicts` or set `driftPolicy: correct`; to keep the live change, commit it.",
  );
  return `${out.join("\n")}\n`;
}
