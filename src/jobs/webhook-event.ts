/**
 * Turns one GitHub webhook delivery into what meshplan does about it: queue a
 * job, acknowledge it, or ignore it with a reason. Pure: the payload has
 * already passed signature verification and JSON parsing at the HTTP edge;
 * here it is validated with zod, reading only the fields meshplan uses, so a
 * payload that does not fit becomes an `ignore` decision, never an exception.
 *
 * Draft pull requests are not checked: `opened`, `reopened` and `synchronize`
 * of a draft are ignored, and the check runs when GitHub sends
 * `ready_for_review`. A check run or suite the user re-runs from the Checks
 * tab is honoured for drafts too, because someone asked for it.
 */
// zod/mini: the same validation as zod with a fraction of the bundle, for the webhook function.
import * as z from "zod/mini";
import type { EnqueueOptions, Job, PullRequestCheckJob, RepoRef, RolloutJob } from "./ports.js";

/** A job and the queue options it is enqueued with. */
export interface JobToEnqueue {
  job: Job;
  options: EnqueueOptions;
}

/**
 * `enqueue` carries one job per pull request: a `check_suite` or `check_run`
 * re-run can name several pull requests that share the commit. A delivery that
 * names one pull request (every `pull_request` and `push` delivery) yields one
 * job whose deduplication id is the delivery id.
 */
export type WebhookDecision =
  | { action: "enqueue"; jobs: [JobToEnqueue, ...JobToEnqueue[]] }
  | { action: "ack"; reason: string }
  | { action: "ignore"; reason: string };

export interface ClassifyWebhookOptions {
  /** The check run name meshplan reports under; re-runs of other apps' checks are not ours. */
  checkName: string;
  /**
   * The GitHub App's numeric id. An app with checks permission also receives
   * check_suite and check_run events of other apps (GitHub Actions among
   * them); with the id, re-runs of those are ignored. Without it, check runs
   * are told apart by name only, and every re-requested suite is re-checked.
   */
  appId?: number;
}

/** pull_request actions that change what the head revision plans to. */
const checkedPullRequestActions = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

// Built with the module: nearly every delivery's `action` is read first.
const actionEnvelope = z.object({ action: z.string() });

/**
 * The schema `make` returns, built on first use and kept. A delivery reads at
 * most one event's schema below, and most deliveries (check suites and runs
 * GitHub sends for every push, pull request actions that change nothing)
 * read none past `actionEnvelope`: a cold start builds only what its
 * delivery reads instead of every event's.
 */
function once<T>(make: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= make());
}

/** Pieces the event schemas share, built with the first of them. */
const common = once(() => {
  // Git object names: SHA-1 (40 hex digits) or, in SHA-256 repositories, 64.
  const sha = z.string().check(z.regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, "expected a commit SHA"));
  const fullName = z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/, "expected owner/name"));
  const nonEmpty = z.string().check(z.minLength(1));
  const positiveInt = z.int().check(z.positive());
  const installation = z.object({ id: positiveInt }, "expected the installation of a GitHub App");
  const repository = z.object({ id: z.int(), full_name: fullName });
  return { sha, fullName, nonEmpty, positiveInt, installation, repository };
});

const pullRequestEvent = once(() => {
  const { sha, fullName, nonEmpty, positiveInt, installation, repository } = common();
  return z.object({
    installation,
    repository,
    pull_request: z.object({
      number: positiveInt,
      draft: z.optional(z.boolean()),
      base: z.object({ ref: nonEmpty, sha }),
      // GitHub: head.repo is null when the fork the pull request comes from was deleted.
      head: z.object({ ref: nonEmpty, sha, repo: z.nullable(z.object({ full_name: fullName })) }),
    }),
  });
});

/** An entry of `check_run.pull_requests` / `check_suite.pull_requests`: repositories by id and API URL only. */
const checkPullRequest = once(() => {
  const { sha, nonEmpty, positiveInt } = common();
  return z.object({
    number: positiveInt,
    base: z.object({ ref: nonEmpty, sha, repo: z.object({ id: z.int() }) }),
    head: z.object({ ref: nonEmpty, sha, repo: z.object({ id: z.int(), url: z.string() }) }),
  });
});

const checkApp = () => z.nullish(z.object({ id: z.int() }));

const checkRunEvent = once(() => {
  const { sha, installation, repository } = common();
  return z.object({
    installation,
    repository,
    check_run: z.object({ name: z.string(), head_sha: sha, app: checkApp(), pull_requests: z.array(checkPullRequest()) }),
  });
});

const checkSuiteEvent = once(() => {
  const { sha, installation, repository } = common();
  return z.object({
    installation,
    repository,
    check_suite: z.object({ head_sha: sha, app: checkApp(), pull_requests: z.array(checkPullRequest()) }),
  });
});

const pushEvent = once(() => {
  const { nonEmpty, installation, repository } = common();
  return z.object({
    ref: nonEmpty,
    after: z.string(),
    deleted: z.optional(z.boolean()),
    installation,
    repository: z.extend(repository, { default_branch: nonEmpty }),
  });
});

type CheckPullRequest = z.infer<ReturnType<typeof checkPullRequest>>;
type Repository = z.infer<ReturnType<typeof common>["repository"]>;

export function classifyWebhook(event: string, deliveryId: string, payload: unknown, options: ClassifyWebhookOptions): WebhookDecision {
  switch (event) {
    case "ping":
      return { action: "ack", reason: "ping: the webhook reaches meshplan" };
    case "installation":
    case "installation_repositories": {
      const action = actionEnvelope.safeParse(payload);
      // meshplan keeps no per-installation state: installation tokens are requested per job.
      return { action: "ack", reason: `${event}${action.success ? ` ${action.data.action}` : ""}: nothing to prepare` };
    }
    case "pull_request":
      return pullRequest(deliveryId, payload);
    case "check_run":
      return checkRun(deliveryId, payload, options);
    case "check_suite":
      return checkSuite(deliveryId, payload, options);
    case "push":
      return push(deliveryId, payload);
    default:
      return { action: "ignore", reason: `event "${event}" is not one meshplan acts on` };
  }
}

function pullRequest(deliveryId: string, payload: unknown): WebhookDecision {
  const envelope = actionEnvelope.safeParse(payload);
  if (!envelope.success) return invalid("pull_request", envelope.error);
  const action = envelope.data.action;
  if (!checkedPullRequestActions.has(action)) return { action: "ignore", reason: `pull_request ${action} does not change what is planned` };
  const parsed = pullRequestEvent().safeParse(payload);
  if (!parsed.success) return invalid(`pull_request ${action}`, parsed.error);
  const { installation, repository, pull_request: pr } = parsed.data;
  if (pr.draft === true && action !== "ready_for_review") {
    return { action: "ignore", reason: `pull request #${pr.number} is a draft: it is checked when marked ready for review` };
  }
  if (pr.head.repo === null) {
    return { action: "ignore", reason: `the fork pull request #${pr.number} comes from was deleted: its head cannot change, so there is nothing new to check` };
  }
  const job: PullRequestCheckJob = {
    kind: "pr-check",
    deliveryId,
    installationId: installation.id,
    repo: repoRef(repository.full_name),
    pullNumber: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    headRepoFullName: pr.head.repo.full_name,
    rerequested: false,
  };
  return { action: "enqueue", jobs: [{ job, options: { deduplicationId: deliveryId, groupId: repository.full_name } }] };
}

function checkRun(deliveryId: string, payload: unknown, { checkName, appId }: ClassifyWebhookOptions): WebhookDecision {
  const envelope = actionEnvelope.safeParse(payload);
  if (!envelope.success) return invalid("check_run", envelope.error);
  if (envelope.data.action !== "rerequested") return { action: "ignore", reason: `check_run ${envelope.data.action} needs no work` };
  const parsed = checkRunEvent().safeParse(payload);
  if (!parsed.success) return invalid("check_run rerequested", parsed.error);
  const { installation, repository, check_run: run } = parsed.data;
  if (run.name !== checkName || !ownedBy(run.app, appId)) return { action: "ignore", reason: `check run "${run.name}" is not the ${checkName} check` };
  return rerun("check_run", deliveryId, installation.id, repository, run.head_sha, run.pull_requests);
}

function checkSuite(deliveryId: string, payload: unknown, { appId }: ClassifyWebhookOptions): WebhookDecision {
  const envelope = actionEnvelope.safeParse(payload);
  if (!envelope.success) return invalid("check_suite", envelope.error);
  // `requested` arrives for every push; pull requests are checked from their own pull_request events.
  if (envelope.data.action !== "rerequested") return { action: "ignore", reason: `check_suite ${envelope.data.action} needs no work` };
  const parsed = checkSuiteEvent().safeParse(payload);
  if (!parsed.success) return invalid("check_suite rerequested", parsed.error);
  const { installation, repository, check_suite: suite } = parsed.data;
  if (!ownedBy(suite.app, appId)) return { action: "ignore", reason: `check suite of app ${suite.app?.id ?? "(none)"}, not meshplan's app ${appId}` };
  return rerun("check_suite", deliveryId, installation.id, repository, suite.head_sha, suite.pull_requests);
}

/**
 * One job per pull request the re-run names. The commit checked is the one the
 * check belongs to (`head_sha`): GitHub notes it can trail the pull request's
 * head when more commits were pushed, and the user asked for that commit.
 */
function rerun(
  event: "check_run" | "check_suite",
  deliveryId: string,
  installationId: number,
  repository: Repository,
  headSha: string,
  pullRequests: CheckPullRequest[],
): WebhookDecision {
  // Only pull requests into this repository: the list can name pull requests of other repositories sharing the commit.
  const ours = pullRequests.filter((pr) => pr.base.repo.id === repository.id);
  const jobs: JobToEnqueue[] = [];
  for (const pr of ours) {
    const headRepoFullName = pr.head.repo.id === repository.id ? repository.full_name : fullNameFromApiUrl(pr.head.repo.url);
    if (headRepoFullName === null) return { action: "ignore", reason: `${event} rerequested: pull request #${pr.number} names its head repository by an unexpected URL` };
    const job: PullRequestCheckJob = {
      kind: "pr-check",
      deliveryId,
      installationId,
      repo: repoRef(repository.full_name),
      pullNumber: pr.number,
      baseSha: pr.base.sha,
      headSha,
      baseRef: pr.base.ref,
      headRef: pr.head.ref,
      headRepoFullName,
      rerequested: true,
    };
    // One delivery, several jobs: each needs its own deduplication id or the queue would keep only the first.
    const deduplicationId = ours.length === 1 ? deliveryId : `${deliveryId}:${pr.number}`;
    jobs.push({ job, options: { deduplicationId, groupId: repository.full_name } });
  }
  const [first, ...rest] = jobs;
  if (first === undefined) {
    // GitHub: when the head branch is in a fork, pull_requests is empty.
    return { action: "ignore", reason: `${event} rerequested names no pull request of ${repository.full_name} (GitHub leaves the list empty for a head branch in a fork)` };
  }
  return { action: "enqueue", jobs: [first, ...rest] };
}

function push(deliveryId: string, payload: unknown): WebhookDecision {
  const parsed = pushEvent().safeParse(payload);
  if (!parsed.success) return invalid("push", parsed.error);
  const { ref, after, deleted, installation, repository } = parsed.data;
  const defaultRef = `refs/heads/${repository.default_branch}`;
  if (ref !== defaultRef) {
    const what = ref.startsWith("refs/tags/") ? `tag ${ref.slice("refs/tags/".length)}` : ref;
    return { action: "ignore", reason: `push to ${what}: only the default branch ${repository.default_branch} is rolled out` };
  }
  // A deleted ref has `deleted: true` and an all-zero `after`.
  if (deleted === true || /^0+$/.test(after)) return { action: "ignore", reason: `push deleted ${ref}: nothing to roll out` };
  const shaCheck = common().sha.safeParse(after);
  if (!shaCheck.success) return invalid("push", shaCheck.error, "after");
  const job: RolloutJob = { kind: "rollout", deliveryId, installationId: installation.id, repo: repoRef(repository.full_name), sha: after, ref };
  return { action: "enqueue", jobs: [{ job, options: { deduplicationId: deliveryId, groupId: `${repository.full_name}:rollout` } }] };
}

function ownedBy(owner: { id: number } | null | undefined, appId: number | undefined): boolean {
  return appId === undefined || owner?.id === appId;
}

function repoRef(full: string): RepoRef {
  const slash = full.indexOf("/");
  return { owner: full.slice(0, slash), repo: full.slice(slash + 1) };
}

/** `https://api.github.com/repos/OWNER/NAME` (or GHES `…/api/v3/repos/OWNER/NAME`) -> `OWNER/NAME`. */
function fullNameFromApiUrl(url: string): string | null {
  const m = /\/repos\/([^/\s]+\/[^/\s]+)\/?$/.exec(url);
  return m ? m[1]! : null;
}

function invalid(what: string, error: z.core.$ZodError, prefix?: string): WebhookDecision {
  const issues = error.issues.slice(0, 3).map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((p) => p !== undefined).join(".");
    return `${path || "payload"}: ${i.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return { action: "ignore", reason: `${what} payload lacks what meshplan reads: ${issues.join("; ")}${more}` };
}
