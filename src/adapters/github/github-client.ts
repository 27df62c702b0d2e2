/**
 * The one place meshplan builds Octokit clients: @octokit/rest with the
 * retry and throttling plugins, authenticated as a GitHub App installation by
 * @octokit/auth-app (which creates and caches installation tokens, and
 * corrects for clock skew between this machine and GitHub).
 *
 * Retries live here and nowhere else:
 * - 5xx and network failures: the retry plugin, with quadratic backoff;
 * - primary and secondary rate limits (403/429): the throttling plugin, after
 *   the time GitHub asks for (`retry-after`, or `x-ratelimit-reset`), logging a
 *   warning each time. The retry plugin leaves 429 alone so a rate-limited
 *   request is not retried twice over.
 * The throttling plugin also spaces out writes as GitHub's best practices ask
 * ("wait at least one second between each request" that creates content).
 *
 * `installationFor` asks GitHub, as the app itself (its JWT), which
 * installation reaches a repository: work that starts from a schedule rather
 * than a webhook has no installation id to hand. Answers are kept for the
 * client's life; a failure is not kept, so the next call asks again.
 */
import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";
import type { RepoRef } from "../../jobs/ports.js";

export interface GitHubClientOptions {
  appId: string | number;
  /** The app's private key (PEM; `\n` escapes are accepted, as in environment variables). Never logged. */
  privateKey: string;
  /** API root: `GITHUB_API_URL`, e.g. `https://github.example.com/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string;
  fetch?: typeof fetch;
  retry?: {
    /** Retries of a request that failed with 5xx or a network error (default 3). */
    retries?: number;
    /** Milliseconds per backoff unit: retry n waits n² units (default 1000). */
    retryAfterBaseValue?: number;
  };
  throttle?: {
    /** Retries of a rate-limited request (default 2). */
    maxRetries?: number;
    /** Milliseconds per second of `retry-after` (default 1000); tests shrink it. */
    retryAfterBaseValue?: number;
    /** Minimum milliseconds between writes, and between writes that notify people (defaults 1000 and 3000). */
    minWriteIntervalMs?: number;
  };
  logger?: { warn(message: string, fields?: object): void };
}

export interface GitHubClient {
  /** An Octokit authenticated as the installation; one per installation, reused, its token cached and renewed by auth-app. */
  forInstallation(installationId: number): Octokit;
  /** The id of the app's installation that reaches `repo`; an AppNotInstalledError when there is none. */
  installationFor(repo: RepoRef): Promise<number>;
}

/** The app is not installed on the repository (or on its account), or the repository does not exist: GitHub cannot tell which. */
export class AppNotInstalledError extends Error {
  override name = "AppNotInstalledError";
  constructor(
    readonly repo: RepoRef,
    options?: { cause?: unknown },
  ) {
    super(
      `The GitHub App is not installed on ${repo.owner}/${repo.repo}, or the repository does not exist: install the app on the repository or its account.`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
  }
}

const MeshplanOctokit = Octokit.plugin(retry, throttling);

/** Statuses not worth retrying: the request itself is wrong. 429 is the throttling plugin's. */
const doNotRetry = [400, 401, 403, 404, 410, 422, 429, 451];

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const maxRetries = options.throttle?.maxRetries ?? 2;
  const warn = (message: string, fields?: object) => options.logger?.warn(message, fields);
  const spacing = options.throttle?.minWriteIntervalMs;
  // Bottleneck groups shared by this client's installations; only when the default spacing is overridden.
  const groups =
    spacing === undefined
      ? {}
      : {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
        };

  /** One Octokit: as an installation, or as the app itself (its JWT) when `installationId` is null. */
  const build = (installationId: number | null): Octokit => {
    const who = installationId === null ? {} : { installationId };
    const rateLimited = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < maxRetries;
      warn(`GitHub ${kind} reached for ${request.method} ${request.url}; ${retrying ? `retrying after ${retryAfter}s` : "giving up"}`, {
        ...who,
        retryAfter,
        retryCount,
      });
      return retrying;
    };
    return new MeshplanOctokit({
      authStrategy: createAppAuth,
      auth: { appId: options.appId, privateKey: options.privateKey, ...who },
      userAgent: "meshplan",
      ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {}),
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
      log: {
        debug: () => {},
        info: () => {},
        // auth-app warns here (token replication delay, clock skew); no secrets go into these messages.
        warn: (message: string) => warn(message),
        // A failed request surfaces as the RequestError it throws; the request log's line per failure would repeat it.
        error: () => {},
      },
      retry: {
        doNotRetry,
        ...(options.retry?.retries === undefined ? {} : { retries: options.retry.retries }),
        ...(options.retry?.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: options.retry.retryAfterBaseValue }),
      },
      throttle: {
        // Limits are per installation: space writes per installation, not across all of them.
        id: installationId === null ? "app" : `installation-${installationId}`,
        ...groups,
        ...(options.throttle?.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: options.throttle.retryAfterBaseValue }),
        onRateLimit: rateLimited("rate limit"),
        onSecondaryRateLimit: rateLimited("secondary rate limit"),
      },
    });
  };

  const clients = new Map<number, Octokit>();
  let app: Octokit | null = null;
  const installations = new Map<string, Promise<number>>();
  return {
    forInstallation(installationId) {
      let octokit = clients.get(installationId);
      if (!octokit) {
        octokit = build(installationId);
        clients.set(installationId, octokit);
      }
      return octokit;
    },

    installationFor(repo) {
      // GitHub compares owner and repository names case-insensitively.
      const key = `${repo.owner}/${repo.repo}`.toLowerCase();
      let found = installations.get(key);
      if (!found) {
        app ??= build(null);
        found = app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo }).then(
          ({ data }) => data.id,
          (err: unknown) => {
            installations.delete(key);
            throw isNotFound(err) ? new AppNotInstalledError(repo, { cause: err }) : err;
          },
        );
        installations.set(key, found);
      }
      return found;
    },
  };
}

function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && "status" in err && err.status === 404;
}
