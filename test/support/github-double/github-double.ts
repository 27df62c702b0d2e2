/**
 * A stand-in for api.github.com (and codeload.github.com) for the endpoints
 * meshplan uses, as a hono app. Every request is first checked against
 * GitHub's published OpenAPI description (@octokit/openapi): the method and
 * path must name a documented operation, and its path and query parameters
 * and JSON body must fit that operation's schemas. What does not fit gets the
 * answer GitHub gives (404 for an unknown route, 422 `Invalid request.` for a
 * body that breaks the schema) and is recorded in `violations`, together with
 * documented rules the schema cannot express (annotation limits, comment
 * size, ...), fields GitHub would silently ignore, and any response of the
 * double's own that does not fit the description. A test that drives a client
 * through the double asserts `violations` is empty.
 *
 * Authentication is GitHub App authentication: the app's JWT (checked with
 * the public key a test registers) buys an installation token and finds the
 * installation that reaches a repository, and every other operation needs
 * `authorization: token <installation token>` (or
 * Bearer), reaches only the installation account's repositories (404
 * otherwise, as GitHub hides what a token cannot see) and only with the
 * installation's permissions (403 "Resource not accessible by integration").
 *
 * Archive downloads answer 302 to a codeload URL on the double
 * (`/_codeload/...?token=...`), as GitHub does; the in-process `fetch`
 * follows redirects as the WHATWG fetch does, so Octokit sees the archive.
 */
import type { KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { appOperations } from "./app-operations.js";
import { branchOperations } from "./branch-operations.js";
import { checkRunOperations } from "./check-run-operations.js";
import type { TreeEntry } from "./codeload-tarball.js";
import { compareOperations } from "./compare-operations.js";
import { deploymentOperations } from "./deployment-operations.js";
import type {
  CheckRunRecord,
  CommentRecord,
  DeploymentRecord,
  InstallationRecord,
  IssueRecord,
  Permission,
  Permissions,
  PullRequestRecord,
  RepoRecord,
  AppRecord,
} from "./double-state.js";
import { DoubleState, documentedPermissions, githubTime, repoKey } from "./double-state.js";
import type { InjectedFailure } from "./github-failures.js";
import { errorBody, GitHubError } from "./github-error.js";
import { issueCommentOperations } from "./issue-comment-operations.js";
import { issueOperations } from "./issue-operations.js";
import type { ContractOperation, ContractProblem } from "./openapi-contract.js";
import { openApiContract } from "./openapi-contract.js";
import type { OperationHandlers, OperationRequest, OperationResponse } from "./operation-handler.js";
import { pullRequestOperations } from "./pull-request-operations.js";
import { codeloadPrefix, codeloadResponse, repositoryOperations } from "./repository-operations.js";
import { publicKeyOf, verifyAppJwt } from "./verify-app-jwt.js";

export interface GitHubDoubleOptions {
  /** The double's clock: JWT checks, token expiry, timestamps. Defaults to the system clock. */
  now?: () => Date;
  /** Where the double answers in-process: an origin and optional path, e.g. `https://ghe.test/api/v3` like GitHub Enterprise Server. */
  baseUrl?: string;
  /** A pull request file whose patch is larger than this is listed without `patch`, as GitHub does for large diffs. Default 64 KiB. */
  maxPatchBytes?: number;
  /** Check the double's own responses against the description (default true). */
  checkResponses?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the API prefix, e.g. `/repos/acme/mesh/check-runs`. */
  path: string;
  query: string;
  /** The OpenAPI operation, or null for an unknown route or a codeload download. */
  operationId: string | null;
  status: number;
  /** Answered by `failNext` instead of the operation. */
  injected: boolean;
  /** Served by the codeload stand-in rather than the API. */
  codeload: boolean;
}

export type ViolationKind =
  /** No documented operation has this method and path. */
  | "unknown-route"
  /** Parameters or body break the operation's schema; GitHub rejects the request. */
  | "invalid-request"
  /** Undocumented query parameters or body fields; GitHub ignores them, which usually hides a mistake. */
  | "ignored-input"
  /** A documented rule beyond the schema (annotation limits, comment size, ...). */
  | "github-rule"
  /** The double answered with something the description does not allow, or failed: a bug in the double. */
  | "invalid-response"
  /** A documented operation the double does not implement. */
  | "not-implemented";

export interface ContractViolation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  messages: string[];
}

export interface PullRequestSeed {
  number: number;
  baseSha: string;
  headSha: string;
  baseRef: string;
  headRef: string;
  headRepoFullName?: string;
  title?: string;
  labels?: string[];
}

export type SeedFile = string | Uint8Array | { symlink: string };

export interface GitHubDouble {
  /** The hono app; mount it or serve it (`startGitHubDouble`). */
  app: Hono;
  /** A fetch bound to the app, for Octokit's `request.fetch`; answers only for `baseUrl`'s origin. */
  fetch: typeof fetch;
  /** What a client uses as its API base URL in-process. */
  baseUrl: string;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** Every departure from GitHub's contract, in order; a well-behaved client leaves it empty. */
  readonly violations: ContractViolation[];
  /** Registers a GitHub App with the public key that verifies its JWTs. */
  registerApp(app: { id: number; publicKey: string | KeyObject; slug?: string; name?: string; owner?: string }): void;
  /** Installs an app on an account; its repositories become reachable with the installation's tokens. */
  addInstallation(installation: { id: number; appId: number; account: string; permissions?: Permissions }): void;
  addRepo(owner: string, repo: string, options?: { defaultBranch?: string }): void;
  /**
   * A commit with its whole tree (`path -> content`); it becomes the head of `branch` (the default branch unless told).
   * `sha` is 40 lowercase hex digits. Its `parents` are commits already added; without them, a commit added to a named
   * `branch` follows that branch's previous head, and any other commit is a root.
   */
  addCommit(
    owner: string,
    repo: string,
    sha: string,
    files: Record<string, SeedFile>,
    options?: { branch?: string; committedAt?: Date; parents?: string[]; message?: string },
  ): void;
  /** A pull request between two commits already added; its files and patches are computed from them. */
  addPullRequest(owner: string, repo: string, pr: PullRequestSeed): void;
  /** An issue opened by someone (a person unless `type` says otherwise), not by the app; returns its number. */
  addIssue(
    owner: string,
    repo: string,
    issue: { title: string; body?: string | null; labels?: string[]; state?: "open" | "closed"; user: string; type?: "User" | "Bot"; createdAt?: Date },
  ): number;
  /** A comment written by someone (a person unless `type` says otherwise), not by the app. */
  addIssueComment(owner: string, repo: string, issueNumber: number, comment: { body: string; user: string; type?: "User" | "Bot" }): number;
  /** The next `times` requests matching `method`/`path` fail as described, before authentication, as GitHub's front end can. */
  failNext(failure: InjectedFailure): void;
  checkRuns(owner: string, repo: string): CheckRunRecord[];
  comments(owner: string, repo: string, issueNumber: number): CommentRecord[];
  issues(owner: string, repo: string): IssueRecord[];
  /** Deployments, oldest first, each with its statuses, oldest first. */
  deployments(owner: string, repo: string): DeploymentRecord[];
  /** Requests to documented operations, codeload downloads excluded. */
  apiRequests(): RecordedRequest[];
  /** Forgets the request log and violations (state stays). */
  clearLog(): void;
}

/**
 * Which permission each operation needs (docs.github.com: "Permissions required
 * for GitHub Apps"). Comments on a pull request accept either the issues or
 * the pull requests permission.
 */
const requiredPermissions: Record<string, { names: string[]; access: Permission }> = {
  "repos/get": { names: ["metadata"], access: "read" },
  "repos/get-branch": { names: ["contents"], access: "read" },
  "repos/download-tarball-archive": { names: ["contents"], access: "read" },
  "repos/compare-commits-with-basehead": { names: ["contents"], access: "read" },
  "pulls/list-files": { names: ["pull_requests"], access: "read" },
  "checks/create": { names: ["checks"], access: "write" },
  "checks/update": { names: ["checks"], access: "write" },
  "checks/get": { names: ["checks"], access: "read" },
  "checks/list-for-ref": { names: ["checks"], access: "read" },
  "checks/list-annotations": { names: ["checks"], access: "read" },
  "issues/list-comments": { names: ["issues", "pull_requests"], access: "read" },
  "issues/get-comment": { names: ["issues", "pull_requests"], access: "read" },
  "issues/create-comment": { names: ["issues", "pull_requests"], access: "write" },
  "issues/update-comment": { names: ["issues", "pull_requests"], access: "write" },
  "issues/delete-comment": { names: ["issues", "pull_requests"], access: "write" },
  "issues/create": { names: ["issues"], access: "write" },
  "issues/update": { names: ["issues"], access: "write" },
  "issues/get": { names: ["issues"], access: "read" },
  "issues/list-for-repo": { names: ["issues"], access: "read" },
  "repos/create-deployment": { names: ["deployments"], access: "write" },
  "repos/list-deployments": { names: ["deployments"], access: "read" },
  "repos/get-deployment": { names: ["deployments"], access: "read" },
  "repos/create-deployment-status": { names: ["deployments"], access: "write" },
  "repos/list-deployment-statuses": { names: ["deployments"], access: "read" },
};

/** Operations outside /app that GitHub accepts only with the app's JWT ("You must use a JWT to access this endpoint"). */
const appJwtOperations = new Set(["apps/get-repo-installation", "apps/get-org-installation", "apps/get-user-installation"]);

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export function createGitHubDouble(options: GitHubDoubleOptions = {}): GitHubDouble {
  const clock = options.now ?? (() => new Date());
  const base = new URL(options.baseUrl ?? "https://api.github.test");
  const apiPrefix = base.pathname.replace(/\/+$/, "");
  const maxPatchBytes = options.maxPatchBytes ?? 64 * 1024;
  const checkResponses = options.checkResponses ?? true;
  const contract = openApiContract();
  const state = new DoubleState();
  const requests: RecordedRequest[] = [];
  const violations: ContractViolation[] = [];
  const failures: (InjectedFailure & { remaining: number })[] = [];
  const rateUsed = new Map<number, number>();
  const handlers: OperationHandlers = {
    ...appOperations,
    ...repositoryOperations,
    ...branchOperations,
    ...compareOperations({ maxPatchBytes }),
    ...pullRequestOperations({ maxPatchBytes }),
    ...checkRunOperations,
    ...issueCommentOperations,
    ...issueOperations,
    ...deploymentOperations,
  };

  const app = new Hono();
  app.all("*", (c) => handle(c.req.raw));
  // A fault in the double must fail tests, not pass for a GitHub 500 that the client then retries.
  app.onError((err, c) => {
    violations.push({ kind: "invalid-response", method: c.req.method, path: new URL(c.req.url).pathname, operationId: null, status: 500, messages: [`the GitHub double failed: ${err.stack ?? err.message}`] });
    return c.json(errorBody("Server Error", "https://docs.github.com/rest", 500), 500);
  });

  async function handle(raw: Request): Promise<Response> {
    const now = clock();
    const url = new URL(raw.url);
    const method = raw.method.toUpperCase();
    const record = (entry: Omit<RecordedRequest, "method" | "query">) => requests.push({ method, query: url.search, ...entry });

    if (url.pathname.startsWith(codeloadPrefix)) {
      const response = await codeloadResponse(state, url, now);
      record({ path: url.pathname, operationId: null, status: response.status, injected: false, codeload: true });
      return response;
    }

    const path = apiPrefix && url.pathname.startsWith(`${apiPrefix}/`) ? url.pathname.slice(apiPrefix.length) : apiPrefix ? null : url.pathname;
    const api = `${url.origin}${apiPrefix}`;
    const match = path === null ? null : contract.match(method, path);
    const violate = (kind: ViolationKind, operationId: string | null, status: number, messages: string[]) =>
      violations.push({ kind, method, path: path ?? url.pathname, operationId, status, messages });
    // Contract problems found before the answer is known are recorded with the status the request got in the end.
    const pending: { kind: ViolationKind; messages: string[] }[] = [];
    const respond = (operationId: string | null, response: OperationResponse, extra: { injected?: boolean; installation?: InstallationRecord | null } = {}) => {
      for (const p of pending) violate(p.kind, operationId, response.status, p.messages);
      record({ path: path ?? url.pathname, operationId, status: response.status, injected: extra.injected ?? false, codeload: false });
      return toResponse(response, now, extra.installation ?? null);
    };

    if (!match) {
      violate("unknown-route", null, 404, [`${method} ${path ?? url.pathname} is not an operation of api.github.com`]);
      return respond(null, { status: 404, body: errorBody("Not Found", "https://docs.github.com/rest", 404) });
    }
    const operation = match.operation;

    const text = method === "GET" || method === "HEAD" ? "" : await raw.text();
    let body: unknown;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        violate("invalid-request", operation.operationId, 400, ["the body is not JSON"]);
        return respond(operation.operationId, { status: 400, body: errorBody("Problems parsing JSON", operation.docsUrl, 400) });
      }
    }
    const checked = contract.checkRequest(match, { query: url.searchParams, body, hasBody: text.length > 0 });
    const rejected = checked.problems.filter((p) => !p.ignoredByGitHub);
    const ignored = checked.problems.filter((p) => p.ignoredByGitHub);
    if (rejected.length) pending.push({ kind: "invalid-request", messages: rejected.map((p) => p.message) });
    if (ignored.length) pending.push({ kind: "ignored-input", messages: ignored.map((p) => p.message) });

    const failure = takeFailure(method, operation, path!);
    if (failure) {
      return respond(
        operation.operationId,
        { status: failure.status, headers: failure.headers ?? {}, body: failure.body ?? errorBody(defaultMessage(failure.status), operation.docsUrl, failure.status) },
        { injected: true },
      );
    }

    const auth = authenticate(raw.headers, operation, now);
    if ("error" in auth) return respond(operation.operationId, { status: 401, body: errorBody(auth.error, "https://docs.github.com/rest", 401) });

    if (rejected.length) {
      const status = rejected.some((p) => p.in === "path") ? 404 : 422;
      const message = status === 404 ? "Not Found" : `Invalid request.\n\n${rejected.map((p) => p.message).join("\n")}`;
      return respond(operation.operationId, { status, body: errorBody(message, operation.docsUrl, status) }, { installation: auth.installation });
    }

    const request: OperationRequest = {
      state,
      operation,
      now,
      api,
      url,
      headers: raw.headers,
      params: checked.pathParams,
      query: checked.query,
      body,
      installation: auth.installation,
      app: auth.app,
      repo: null,
    };

    let response: OperationResponse;
    try {
      request.repo = reachableRepo(request);
      checkPermission(request, auth.permissions);
      const handler = handlers[operation.operationId];
      if (!handler) {
        violate("not-implemented", operation.operationId, 501, [`the GitHub double does not implement ${operation.operationId}`]);
        response = { status: 501, body: errorBody(`The GitHub double does not implement ${operation.operationId}`, operation.docsUrl, 501) };
      } else {
        response = await handler(request);
      }
    } catch (err) {
      if (!(err instanceof GitHubError)) throw err;
      if (err.options.breaksDocumentedRule) violate("github-rule", operation.operationId, err.status, [describeError(err.body)]);
      response = { status: err.status, body: err.body, headers: err.options.headers ?? {} };
    }

    if (checkResponses && response.status !== 501) {
      const problems: ContractProblem[] = contract.checkResponse(operation, response.status, response.body);
      if (problems.length) violate("invalid-response", operation.operationId, response.status, problems.map((p) => p.message));
    }
    return respond(operation.operationId, response, { installation: auth.installation });
  }

  function takeFailure(method: string, operation: ContractOperation, path: string): InjectedFailure | null {
    const index = failures.findIndex(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || (f.path instanceof RegExp ? f.path.test(path) : f.path === operation.pathTemplate || f.path === path)),
    );
    if (index < 0) return null;
    const failure = failures[index]!;
    failure.remaining--;
    if (failure.remaining === 0) failures.splice(index, 1);
    return failure;
  }

  type Auth = { installation: InstallationRecord | null; app: AppRecord | null; permissions: Permissions } | { error: string };

  function authenticate(headers: Headers, operation: ContractOperation, now: Date): Auth {
    const header = headers.get("authorization");
    if (!header) return { error: "Requires authentication" };
    const m = /^(token|bearer)\s+(\S+)$/i.exec(header.trim());
    if (!m) return { error: "Bad credentials" };
    const credential = m[2]!;
    // Operations under /app, and the lookups of an app's installation, are called by the app itself, with its JWT.
    if (operation.pathTemplate === "/app" || operation.pathTemplate.startsWith("/app/") || appJwtOperations.has(operation.operationId)) {
      const check = verifyAppJwt(credential, state.apps, Math.floor(now.getTime() / 1000));
      if (!check.ok) return { error: check.message };
      return { installation: null, app: state.apps.get(check.appId)!, permissions: {} };
    }
    const token = state.tokens.get(credential);
    if (!token || token.expiresAt <= now) return { error: "Bad credentials" };
    const installation = state.installations.get(token.installationId);
    if (!installation) return { error: "Bad credentials" };
    rateUsed.set(installation.id, (rateUsed.get(installation.id) ?? 0) + 1);
    return { installation, app: state.apps.get(installation.appId) ?? null, permissions: token.permissions };
  }

  function reachableRepo(request: OperationRequest): RepoRecord | null {
    const { owner, repo } = request.params;
    if (typeof owner !== "string" || typeof repo !== "string") return null;
    const found = state.repo(owner, repo);
    if (!found) throw GitHubError.notFound(request);
    // The app itself asks about any repository; its handler decides what the app may learn.
    if (!request.installation && request.app && appJwtOperations.has(request.operation.operationId)) return found;
    if (!request.installation || request.installation.account.toLowerCase() !== found.owner.toLowerCase()) throw GitHubError.notFound(request);
    return found;
  }

  function checkPermission(request: OperationRequest, permissions: Permissions): void {
    const needed = requiredPermissions[request.operation.operationId];
    if (!needed || !request.installation) return;
    const ok = needed.names.some((name) => {
      const granted = permissions[name];
      return granted === "write" || (granted === "read" && needed.access === "read");
    });
    if (!ok) throw GitHubError.forbidden(request, "Resource not accessible by integration");
  }

  function toResponse(response: OperationResponse, now: Date, installation: InstallationRecord | null): Response {
    const headers = new Headers({
      date: now.toUTCString(),
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
    });
    if (installation) {
      const used = rateUsed.get(installation.id) ?? 0;
      headers.set("x-ratelimit-limit", "5000");
      headers.set("x-ratelimit-remaining", String(Math.max(0, 5000 - used)));
      headers.set("x-ratelimit-used", String(used));
      headers.set("x-ratelimit-reset", String(Math.floor(now.getTime() / 1000) + 3600));
      headers.set("x-ratelimit-resource", "core");
    }
    for (const [k, v] of Object.entries(response.headers ?? {})) headers.set(k, v);
    if (response.body === undefined || response.status === 204 || redirectStatuses.has(response.status)) {
      return new Response(null, { status: response.status, headers });
    }
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(response.body), { status: response.status, headers });
  }

  const doubleFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let request = new Request(input, init);
    for (let redirects = 0; ; redirects++) {
      const url = new URL(request.url);
      if (url.origin !== base.origin) {
        throw new TypeError("fetch failed", { cause: new Error(`getaddrinfo ENOTFOUND ${url.hostname}`) });
      }
      const response = await app.fetch(request);
      const location = response.headers.get("location");
      if (!redirectStatuses.has(response.status) || !location || request.redirect === "manual") return withUrl(response, request.url);
      if (request.redirect === "error" || redirects >= 20) throw new TypeError("fetch failed", { cause: new Error("redirect") });
      // WHATWG fetch: 303, and 301/302 after a POST, continue as GET without a body.
      const asGet = response.status === 303 || ((response.status === 301 || response.status === 302) && request.method === "POST");
      const next = new URL(location, request.url);
      const headers = new Headers(request.headers);
      if (next.origin !== url.origin) headers.delete("authorization");
      request = new Request(next, {
        method: asGet ? "GET" : request.method,
        headers,
        redirect: request.redirect,
        ...(asGet || request.method === "GET" || request.method === "HEAD" ? {} : { body: await request.arrayBuffer() }),
      });
    }
  };

  const forRepo = (owner: string, name: string): RepoRecord => {
    const repo = state.repo(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name} in the GitHub double; call addRepo first`);
    return repo;
  };

  return {
    app,
    fetch: doubleFetch as typeof fetch,
    baseUrl: `${base.origin}${apiPrefix}`,
    requests,
    violations,

    registerApp({ id, publicKey, slug = `app-${id}`, name = slug, owner = `${slug}-owner` }) {
      state.apps.set(id, {
        id,
        slug,
        name,
        clientId: `Iv23${id.toString(16).padStart(12, "0")}`,
        publicKey: publicKeyOf(publicKey),
        owner: state.user(owner, "Organization"),
        botUserId: state.nextId("user"),
        createdAt: clock(),
      });
    },

    addInstallation({ id, appId, account, permissions = documentedPermissions }) {
      if (!state.apps.has(appId)) throw new Error(`no app ${appId} in the GitHub double; call registerApp first`);
      state.installations.set(id, { id, appId, account, permissions: { ...permissions }, createdAt: clock() });
    },

    addRepo(owner, name, { defaultBranch = "main" } = {}) {
      state.repos.set(repoKey(owner, name), {
        id: state.nextId("repo"),
        owner,
        name,
        defaultBranch,
        createdAt: clock(),
        commits: new Map(),
        branches: new Map(),
        pulls: new Map(),
        issues: new Map(),
        checkRuns: [],
        comments: [],
        deployments: [],
      });
    },

    addCommit(owner, name, sha, files, { branch, committedAt = clock(), parents, message = `Change ${sha.slice(0, 7)}` } = {}) {
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`commit ids are 40 lowercase hex digits; got ${JSON.stringify(sha)} (fakeSha(word) makes one)`);
      const repo = forRepo(owner, name);
      const previousHead = branch === undefined ? undefined : repo.branches.get(branch);
      const parentShas = parents ?? (previousHead !== undefined && previousHead !== sha ? [previousHead] : []);
      for (const parent of parentShas) {
        if (parent === sha || !repo.commits.has(parent)) throw new Error(`parent ${parent} of ${sha} is not a commit of ${owner}/${name}; add it first`);
      }
      const entries = new Map<string, TreeEntry>();
      for (const [path, content] of Object.entries(files)) {
        if (path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) throw new Error(`not a repository path: ${path}`);
        entries.set(
          path,
          typeof content === "string"
            ? { kind: "file", content: new TextEncoder().encode(content) }
            : content instanceof Uint8Array
              ? { kind: "file", content }
              : { kind: "symlink", target: content.symlink },
        );
      }
      repo.commits.set(sha, { sha, entries, committedAt, message, parents: [...parentShas] });
      repo.branches.set(branch ?? repo.defaultBranch, sha);
    },

    addPullRequest(owner, name, pr) {
      const repo = forRepo(owner, name);
      for (const sha of [pr.baseSha, pr.headSha]) {
        if (!repo.commits.has(sha)) throw new Error(`commit ${sha} is not in ${owner}/${name}; call addCommit first`);
      }
      if (repo.pulls.has(pr.number) || repo.issues.has(pr.number)) throw new Error(`#${pr.number} already exists in ${owner}/${name}`);
      const record: PullRequestRecord = {
        id: state.nextId("pull"),
        number: pr.number,
        baseSha: pr.baseSha,
        headSha: pr.headSha,
        baseRef: pr.baseRef,
        headRef: pr.headRef,
        headRepoFullName: pr.headRepoFullName ?? `${repo.owner}/${repo.name}`,
        title: pr.title ?? `Change ${pr.headRef}`,
        labels: [...(pr.labels ?? [])],
        state: "open",
        createdAt: githubTime(clock()),
      };
      repo.pulls.set(pr.number, record);
    },

    addIssue(owner, name, issue) {
      const repo = forRepo(owner, name);
      const at = githubTime(issue.createdAt ?? clock());
      const open = (issue.state ?? "open") === "open";
      const record: IssueRecord = {
        id: state.nextId("issue"),
        number: state.nextIssueNumber(repo),
        title: issue.title,
        body: issue.body ?? null,
        state: open ? "open" : "closed",
        stateReason: open ? null : "completed",
        labels: [...(issue.labels ?? [])],
        user: state.user(issue.user, issue.type ?? "User"),
        appId: null,
        createdAt: at,
        updatedAt: at,
        closedAt: open ? null : at,
      };
      repo.issues.set(record.number, record);
      return record.number;
    },

    addIssueComment(owner, name, issueNumber, comment) {
      const repo = forRepo(owner, name);
      if (!repo.pulls.has(issueNumber) && !repo.issues.has(issueNumber)) throw new Error(`#${issueNumber} is not in ${owner}/${name}`);
      const now = githubTime(clock());
      const id = state.nextId("comment");
      repo.comments.push({ id, issueNumber, body: comment.body, user: state.user(comment.user, comment.type ?? "User"), appId: null, createdAt: now, updatedAt: now });
      return id;
    },

    failNext(failure) {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },

    checkRuns: (owner, name) => structuredClone(forRepo(owner, name).checkRuns),
    comments: (owner, name, issueNumber) => structuredClone(forRepo(owner, name).comments.filter((c) => c.issueNumber === issueNumber)),
    issues: (owner, name) => structuredClone([...forRepo(owner, name).issues.values()]),
    deployments: (owner, name) => structuredClone(forRepo(owner, name).deployments),
    apiRequests: () => requests.filter((r) => !r.codeload && r.operationId !== null),

    clearLog() {
      requests.length = 0;
      violations.length = 0;
    },
  };
}

function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, "url", { value: url });
  return response;
}

function defaultMessage(status: number): string {
  if (status === 401) return "Bad credentials";
  if (status === 403) return "Forbidden";
  if (status === 404) return "Not Found";
  if (status === 422) return "Validation Failed";
  return "Server Error";
}

function describeError(body: Record<string, unknown>): string {
  const errors = Array.isArray(body.errors) ? body.errors.map((e: { message?: string; field?: string; code?: string }) => e.message ?? `${e.field}: ${e.code}`) : [];
  return [String(body.message), ...errors].join(": ");
}
