/**
 * What the GitHub double knows: apps and their installations, installation
 * tokens, repositories with commits, pull requests, issues, check runs,
 * comments and deployments. Plain records; the operations read and change
 * them, tests seed and inspect them through the double.
 */
import { createHash, type KeyObject } from "node:crypto";
import type { TreeEntry } from "./codeload-tarball.js";

export type Permission = "read" | "write";
export type Permissions = Record<string, Permission>;

/** The repository permissions docs/github-app.md asks an installation for. */
export const documentedPermissions: Readonly<Permissions> = {
  checks: "write",
  pull_requests: "write",
  issues: "write",
  contents: "read",
  deployments: "write",
  metadata: "read",
};

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  publicKey: KeyObject;
  /** The user or organisation that owns the app. */
  owner: UserRef;
  /** The `{slug}[bot]` user that authors what the app creates. */
  botUserId: number;
  createdAt: Date;
}

export interface InstallationRecord {
  id: number;
  appId: number;
  /** The user or organisation the app is installed on; its repositories are reachable. */
  account: string;
  permissions: Permissions;
  createdAt: Date;
}

export interface TokenRecord {
  installationId: number;
  expiresAt: Date;
  /** What the token may do: the installation's permissions, or fewer if the token request asked for fewer. */
  permissions: Permissions;
}

export interface CommitRecord {
  sha: string;
  entries: Map<string, TreeEntry>;
  committedAt: Date;
  message: string;
  /** Parent commit ids, first parent first; none for a root commit. */
  parents: string[];
}

export interface PullRequestRecord {
  id: number;
  number: number;
  baseSha: string;
  headSha: string;
  baseRef: string;
  headRef: string;
  /** owner/name of the head repository; another repository for a pull request from a fork. */
  headRepoFullName: string;
  title: string;
  labels: string[];
  state: "open" | "closed";
  createdAt: string;
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  appId: number;
  checkSuiteId: number;
  name: string;
  headSha: string;
  externalId: string | null;
  detailsUrl: string | null;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation received, in order: GitHub appends those of each update. */
  annotations: AnnotationRecord[];
  /** Requests that created or updated the run, in order, with how many annotations each carried. */
  history: { operation: "create" | "update"; status: string; conclusion: string | null; annotations: number }[];
}

export interface UserRef {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: UserRef;
  /** The app that wrote the comment (`performed_via_github_app`), if one did. */
  appId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  labels: string[];
  user: UserRef;
  appId: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface DeploymentStatusRecord {
  id: number;
  state: string;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  /** What the request asked for; the double never merges, and knows no commit statuses to require. */
  autoMerge: boolean;
  requiredContexts: string[] | null;
  creator: UserRef;
  appId: number | null;
  createdAt: string;
  statuses: DeploymentStatusRecord[];
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  createdAt: Date;
  commits: Map<string, CommitRecord>;
  branches: Map<string, string>;
  pulls: Map<number, PullRequestRecord>;
  issues: Map<number, IssueRecord>;
  checkRuns: CheckRunRecord[];
  comments: CommentRecord[];
  deployments: DeploymentRecord[];
}

/** Ids in the ranges GitHub's are in today, so nothing depends on small numbers. */
const firstIds = {
  repo: 700_000_000,
  pull: 2_100_000_000,
  issue: 2_600_000_000,
  checkRun: 30_000_000_000,
  checkSuite: 28_000_000_000,
  comment: 2_400_000_000,
  deployment: 1_900_000_000,
  deploymentStatus: 2_300_000_000,
  user: 150_000_000,
};

export class DoubleState {
  readonly apps = new Map<number, AppRecord>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Single-use-in-spirit download tokens of codeload redirects: token -> repository and commit. */
  readonly codeloadTokens = new Map<string, { repoKey: string; sha: string; expiresAt: Date }>();
  readonly repos = new Map<string, RepoRecord>();
  readonly users = new Map<string, UserRef>();
  private readonly counters = new Map<keyof typeof firstIds, number>();

  nextId(kind: keyof typeof firstIds): number {
    const next = (this.counters.get(kind) ?? firstIds[kind]) + 1;
    this.counters.set(kind, next);
    return next;
  }

  /** Repository by owner and name; GitHub compares both case-insensitively. */
  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  user(login: string, type: UserRef["type"] = "User"): UserRef {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { login, id: this.nextId("user"), type };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  botUser(app: AppRecord): UserRef {
    return { login: `${app.slug}[bot]`, id: app.botUserId, type: "Bot" };
  }

  /** Numbers of issues and pull requests share one sequence per repository, as on GitHub. */
  nextIssueNumber(repo: RepoRecord): number {
    return Math.max(0, ...repo.pulls.keys(), ...repo.issues.keys()) + 1;
  }
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

/** The id git gives a blob with this content. */
export function gitBlobSha(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

/** A commit id derived from a word, for tests that need realistic, stable shas. */
export function fakeSha(seed: string): string {
  return createHash("sha1").update(`commit ${seed}`).digest("hex");
}

/** GitHub's timestamps: ISO 8601 in UTC, to the second. */
export function githubTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The commit a ref names: a full or abbreviated (7+) sha, a branch, `heads/<branch>` or `refs/heads/<branch>`. */
export function resolveCommit(repo: RepoRecord, ref: string): CommitRecord | undefined {
  const exact = repo.commits.get(ref.toLowerCase());
  if (exact) return exact;
  const branch = ref.replace(/^refs\//, "").replace(/^heads\//, "");
  const branchSha = repo.branches.get(branch);
  if (branchSha) return repo.commits.get(branchSha);
  if (/^[0-9a-f]{7,39}$/i.test(ref)) {
    const matches = [...repo.commits.values()].filter((c) => c.sha.startsWith(ref.toLowerCase()));
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}
