/**
 * The ports jobs talk through. Jobs orchestrate the pure core and reach the
 * outside world only through these interfaces: Lambda and `meshplan serve`
 * pass real adapters (src/adapters), tests pass the project's doubles.
 */
import type { SourceFile } from "../manifests/types.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Check a pull request: plan base -> head, report as a check run and one PR comment. */
export interface PullRequestCheckJob {
  kind: "pr-check";
  /** X-GitHub-Delivery of the webhook that caused the job. */
  deliveryId: string;
  installationId: number;
  repo: RepoRef;
  pullNumber: number;
  baseSha: string;
  headSha: string;
  /** Branch names, for people. */
  baseRef: string;
  headRef: string;
  /** owner/name of the head repository: differs from `repo` for a pull request from a fork. */
  headRepoFullName: string;
  /** A user asked GitHub to re-run the check (check_run / check_suite `rerequested`): always run anew. */
  rerequested: boolean;
}

/** Roll out a push to the default branch (consumed by the rollout job). */
export interface RolloutJob {
  kind: "rollout";
  deliveryId: string;
  installationId: number;
  repo: RepoRef;
  sha: string;
  ref: string;
}

/**
 * Roll out one commit to one cluster of meshplan.yaml. The rollout job fans out one of these
 * per cluster, in that cluster's own queue group, so rollouts to one cluster never overlap.
 */
export interface ClusterRolloutJob extends ClusterJobTarget {
  kind: "cluster-rollout";
}

/** One cluster of meshplan.yaml at one commit: what a per-cluster job works on. */
export interface ClusterJobTarget {
  deliveryId: string;
  installationId: number;
  repo: RepoRef;
  sha: string;
  /** The branch `sha` was read from, for people. */
  ref: string;
  /** The cluster's `name` in meshplan.yaml at `sha`. */
  cluster: string;
}

/** Scheduled drift detection of one repository: reads its default branch and fans out per cluster. */
export interface DriftJob {
  kind: "drift";
  /** The schedule event's id (EventBridge `id`), or any id unique to the run. */
  deliveryId: string;
  installationId: number;
  repo: RepoRef;
}

/** Compare one cluster of meshplan.yaml with the default branch at `sha`. */
export interface ClusterDriftJob extends ClusterJobTarget {
  kind: "cluster-drift";
}

export type Job = PullRequestCheckJob | RolloutJob | ClusterRolloutJob | DriftJob | ClusterDriftJob;

/** What one drift check found, for dashboards and alarms (CloudWatch embedded metric format in Lambda). */
export interface DriftMeasurement {
  cluster: string;
  status: "clean" | "drifted" | "unreachable" | "error";
  driftedObjects: number;
  driftedFields: number;
  missing: number;
  unexpected: number;
  corrected: boolean;
}

export interface DriftMetrics {
  record(measurement: DriftMeasurement): void;
}

export interface EnqueueOptions {
  /** Same id, same job: the queue drops a second message with it (SQS FIFO MessageDeduplicationId). */
  deduplicationId: string;
  /** Jobs of one group run one at a time, in order (SQS FIFO MessageGroupId): the repository for checks. */
  groupId: string;
}

export interface JobQueue {
  /** `enqueued: false` when the deduplication id was seen before (a redelivered webhook). */
  enqueue(job: Job, options: EnqueueOptions): Promise<{ enqueued: boolean }>;
}

/** A file the pull request changes, with the head-side line numbers it adds or modifies. */
export interface ChangedFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** Head line numbers added or modified; "all" when GitHub gives no patch (new or large files). */
  changedLines: ReadonlySet<number> | "all";
}

export type AnnotationLevel = "failure" | "warning" | "notice";

/** A check run annotation (GitHub: `output.annotations[]`). */
export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: AnnotationLevel;
  title: string;
  message: string;
  rawDetails?: string;
}

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface CheckRunOutput {
  title: string;
  /** Markdown, at most 65,535 characters (GitHub's limit). */
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

export interface ExistingCheckRun {
  id: number;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  externalId: string | null;
}

/** How `head` relates to `base` (GitHub compare: `status`): "behind" means head is an ancestor of base. */
export type CommitRelation = "identical" | "ahead" | "behind" | "diverged";

export interface GitHubPort {
  /** Every YAML/JSON file of the repository at `sha`, with repository-relative paths; a constant number of requests. */
  readTree(repo: RepoRef, sha: string): Promise<SourceFile[]>;
  listChangedFiles(repo: RepoRef, pullNumber: number): Promise<ChangedFile[]>;
  /** The check runs named `name` on `headSha`. */
  listCheckRuns(repo: RepoRef, headSha: string, name: string): Promise<ExistingCheckRun[]>;
  createCheckRun(
    repo: RepoRef,
    run: { name: string; headSha: string; externalId: string; startedAt: Date; title: string; summary: string },
  ): Promise<number>;
  /** Completes a check run; annotations are sent in batches of at most 50 per request, as GitHub requires. */
  completeCheckRun(repo: RepoRef, id: number, result: { conclusion: CheckConclusion; completedAt: Date; output: CheckRunOutput }): Promise<void>;
  /**
   * Creates the pull request comment that contains `marker` (an HTML comment),
   * or edits it when it exists: one comment per pull request, kept up to date.
   */
  upsertComment(repo: RepoRef, issueNumber: number, marker: string, body: string): Promise<{ id: number; created: boolean }>;
  compareCommits(repo: RepoRef, base: string, head: string): Promise<CommitRelation>;
  /** The repository's default branch and the commit at its head now. */
  defaultBranchHead(repo: RepoRef): Promise<{ branch: string; sha: string }>;
  /** Creates a deployment of `sha` to `environment` (auto_merge off, no required contexts); returns its id. */
  createDeployment(
    repo: RepoRef,
    deployment: { sha: string; environment: string; description: string; task?: string; payload?: Record<string, unknown> },
  ): Promise<number>;
  /** Adds a status to a deployment; a description over GitHub's 140 characters is cut. */
  createDeploymentStatus(
    repo: RepoRef,
    deploymentId: number,
    status: {
      state: "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";
      description: string;
      logUrl?: string;
      environmentUrl?: string;
      /** GitHub marks earlier successful deployments to the environment inactive on `success`; default true. */
      autoInactive?: boolean;
    },
  ): Promise<void>;
  /** Issues (not pull requests) carrying `label`, open or also closed, newest first. */
  listIssues(repo: RepoRef, query: { label: string; state: "open" | "all" }): Promise<{ number: number; title: string; body: string; state: "open" | "closed" }[]>;
  /** Opens an issue; returns its number. A body over GitHub's 65,536 characters is cut with a note. */
  createIssue(repo: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<number>;
  updateIssue(
    repo: RepoRef,
    issueNumber: number,
    change: { title?: string; body?: string; state?: "open" | "closed"; stateReason?: "completed" | "not_planned" | "reopened" },
  ): Promise<void>;
  /** Comments on an issue or pull request; returns the comment id. */
  addIssueComment(repo: RepoRef, issueNumber: number, body: string): Promise<number>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
