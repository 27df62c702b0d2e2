/**
 * Merge-triggered rollout. A push to the default branch becomes a `rollout`
 * job (queue group: the repository), which reads meshplan.yaml at the pushed
 * commit and fans out one `cluster-rollout` job per cluster, each in its own
 * queue group so the rollouts of one cluster run one at a time, in order.
 *
 * A cluster rollout applies and prunes (src/cluster/sync.ts), records a
 * GitHub deployment (environment = the cluster's name) with its statuses and
 * completes a check run on the commit. The configuration comes from the
 * pushed commit of the default branch — never from a pull request. A commit
 * older than the one the cluster's ApplySet records is skipped before a
 * deployment is created, so a late delivery never rolls a cluster back.
 */
import { syncCluster } from "../cluster/sync.js";
import type { ClusterPort } from "../cluster/cluster-port.js";
import { CONFIG_FILE, loadConfig, type ClusterConfig } from "../config/meshplan-config.js";
import { inputCodes } from "../manifests/codes.js";
import { loadManifests } from "../manifests/load.js";
import type { SourceFile } from "../manifests/types.js";
import { renderSyncMarkdown, summaryLine } from "../report/sync-report.js";
import { MESHPLAN_VERSION } from "../version.js";
import { manifestsOf } from "./check-tree.js";
import type { Clock, ClusterRolloutJob, GitHubPort, JobQueue, Logger, RepoRef, RolloutJob } from "./ports.js";

/** Connects to a cluster of meshplan.yaml (its kubeconfig secret in Lambda, its context in `meshplan serve`). */
export type ClusterConnector = (cluster: ClusterConfig) => Promise<ClusterPort>;

export interface RolloutDeps {
  github: GitHubPort;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

export interface ClusterRolloutDeps {
  github: GitHubPort;
  connect: ClusterConnector;
  clock: Clock;
  logger: Logger;
}

export interface RolloutOutcome {
  status: "done" | "skipped" | "failed";
  detail: string;
}

export const ROLLOUT_CHECK_PREFIX = "meshplan rollout";

export function rolloutCheckName(cluster: string): string {
  return `${ROLLOUT_CHECK_PREFIX}: ${cluster}`;
}

/** SQS FIFO group of one cluster's rollouts: one at a time per cluster, clusters in parallel. */
export function clusterGroupId(repo: RepoRef, cluster: string): string {
  return `${repo.owner}/${repo.repo}:cluster:${cluster}`;
}

/** Reads meshplan.yaml at the pushed commit and queues one rollout per cluster. */
export async function runRollout(job: RolloutJob, deps: RolloutDeps): Promise<RolloutOutcome> {
  const files = await deps.github.readTree(job.repo, job.sha);
  const loaded = loadConfig(files.find((f) => f.path === CONFIG_FILE) ?? null);
  for (const f of loaded.findings) deps.logger.warn("meshplan.yaml problem at the pushed commit", { file: f.file, line: f.line, message: f.message });
  const clusters = loaded.config.clusters;
  const clusterProblems = loaded.findings.filter((f) => f.path === "clusters" || f.path?.startsWith("clusters[") || f.path?.startsWith("clusters."));
  if (clusterProblems.length > 0) {
    // A bad clusters setting falls back to no clusters; rolling out to none of them must not look like success.
    return {
      status: "failed",
      detail: `meshplan.yaml at ${job.sha.slice(0, 12)} has invalid clusters settings, nothing was rolled out: ${clusterProblems.map((f) => `line ${f.line}: ${f.message}`).join("; ")}`,
    };
  }
  if (clusters.length === 0) {
    return { status: "skipped", detail: `meshplan.yaml at ${job.sha.slice(0, 12)} lists no clusters; nothing to roll out` };
  }
  let queued = 0;
  for (const cluster of clusters) {
    const next: ClusterRolloutJob = {
      kind: "cluster-rollout",
      deliveryId: job.deliveryId,
      installationId: job.installationId,
      repo: job.repo,
      sha: job.sha,
      ref: job.ref,
      cluster: cluster.name,
    };
    const { enqueued } = await deps.queue.enqueue(next, {
      deduplicationId: `${job.deliveryId}:${cluster.name}`,
      groupId: clusterGroupId(job.repo, cluster.name),
    });
    if (enqueued) queued++;
  }
  return { status: "done", detail: `queued the rollout of ${job.sha.slice(0, 12)} to ${queued} of ${clusters.length} cluster(s): ${clusters.map((c) => c.name).join(", ")}` };
}

/** Desired objects for one cluster at one commit, and the loader's problems. */
export function desiredForCluster(files: readonly SourceFile[], cluster: ClusterConfig, config: ReturnType<typeof loadConfig>["config"]) {
  const loaded = loadManifests(manifestsOf(files, config, cluster.paths));
  const unreadableCodes = new Set<string>([
    inputCodes.syntax.code,
    inputCodes.duplicateKey.code,
    inputCodes.notAnObject.code,
    inputCodes.aliasLimit.code,
    inputCodes.fileTooLarge.code,
    inputCodes.invalidUtf8.code,
  ]);
  return { resources: loaded.resources, unreadable: loaded.findings.filter((f) => unreadableCodes.has(f.code)) };
}

export async function runClusterRollout(job: ClusterRolloutJob, deps: ClusterRolloutDeps): Promise<RolloutOutcome> {
  const { github, clock, logger } = deps;
  const repo = job.repo;
  const short = job.sha.slice(0, 12);
  const files = await github.readTree(repo, job.sha);
  const { config } = loadConfig(files.find((f) => f.path === CONFIG_FILE) ?? null);
  const cluster = config.clusters.find((c) => c.name === job.cluster);
  if (!cluster) return { status: "skipped", detail: `cluster ${job.cluster} is not in meshplan.yaml at ${short}` };

  const checkName = rolloutCheckName(cluster.name);
  const existing = (await github.listCheckRuns(repo, job.sha, checkName)).find((r) => r.externalId === job.deliveryId);
  if (existing?.status === "completed") {
    return { status: "skipped", detail: `delivery ${job.deliveryId} was already rolled out to ${cluster.name} (check run ${existing.id})` };
  }
  const checkRunId =
    existing?.id ??
    (await github.createCheckRun(repo, {
      name: checkName,
      headSha: job.sha,
      externalId: job.deliveryId,
      startedAt: clock.now(),
      title: `Applying to ${cluster.name}`,
      summary: `meshplan is applying \`${short}\` to cluster \`${cluster.name}\`.`,
    }));
  const complete = (conclusion: "success" | "failure" | "skipped", title: string, summary: string) =>
    github.completeCheckRun(repo, checkRunId, { conclusion, completedAt: clock.now(), output: { title, summary, annotations: [] } });

  let port: ClusterPort;
  try {
    port = await deps.connect(cluster);
  } catch (error) {
    const message = errorMessage(error);
    logger.error("could not connect to the cluster", { cluster: cluster.name, error: message });
    await complete("failure", `Could not connect to ${cluster.name}`, `meshplan could not reach cluster \`${cluster.name}\`: ${message}\n\nNothing was applied.`);
    return { status: "failed", detail: `${cluster.name}: ${message}` };
  }

  const isAncestor = async (a: string, b: string) => (await github.compareCommits(repo, b, a)) === "behind";
  // The deployment is recorded once the sync has found the commit is not older than the cluster's:
  // a stale delivery leaves no deployment behind, and the stale check runs once, inside the sync.
  let deploymentId: number | null = null;
  const recordDeployment = async () => {
    deploymentId = await github.createDeployment(repo, {
      sha: job.sha,
      environment: cluster.name,
      description: `meshplan rollout of ${short}`,
      task: "deploy",
      payload: { applySet: cluster.applySet, prune: cluster.prune },
    });
    await github.createDeploymentStatus(repo, deploymentId, { state: "in_progress", description: `Applying ${short} to ${cluster.name}` });
  };
  const result = await syncCluster(port, {
    ...desiredForCluster(files, cluster, config),
    applySet: cluster.applySet,
    defaultNamespace: cluster.namespace,
    commit: job.sha,
    version: MESHPLAN_VERSION,
    dryRun: false,
    prune: cluster.prune,
    force: cluster.force,
    pruneGuard: { maxShare: cluster.pruneMaxShare, confirmed: false },
    isAncestor,
    beforeApply: recordDeployment,
  });

  const summary = renderSyncMarkdown(result);
  const line = summaryLine(result);
  logger.info("cluster rollout finished", { cluster: cluster.name, status: result.status, counts: result.counts });
  if (result.status === "skipped") {
    logger.info("stale rollout skipped", { cluster: cluster.name, sha: job.sha });
    await complete("skipped", `Skipped: ${cluster.name} holds a newer commit`, result.reason ?? summary);
    return { status: "skipped", detail: `${cluster.name}: ${result.reason ?? line}` };
  }
  const ok = result.status === "synced";
  if (deploymentId !== null) await github.createDeploymentStatus(repo, deploymentId, { state: ok ? "success" : "failure", description: line });
  await complete(ok ? "success" : "failure", ok ? `Applied to ${cluster.name}` : `Rollout to ${cluster.name} failed`, summary);
  return { status: ok ? "done" : "failed", detail: line };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
