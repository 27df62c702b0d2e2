/**
 * Failures GitHub's API is documented to give, ready for `double.failNext(...)`
 * (docs.github.com: "Rate limits for the REST API", "Troubleshooting the REST API").
 */

export interface InjectedFailure {
  method?: string;
  /** An OpenAPI path template (`/repos/{owner}/{repo}/check-runs`), an exact path, or a pattern tested against the path. */
  path?: string | RegExp;
  status: number;
  /** How many matching requests fail; 1 unless told. */
  times?: number;
  headers?: Record<string, string>;
  /** JSON body; GitHub's `{ message, documentation_url }` for the status unless told. */
  body?: unknown;
}

export type FailureResponse = Pick<InjectedFailure, "status" | "headers" | "body">;

const rateLimitDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

export const githubFailures = {
  /** A 5xx from GitHub's front end, e.g. 502 Bad Gateway. */
  serverError(status = 502): FailureResponse {
    return { status, body: { message: "Server Error" } };
  },

  /** "If you exceed a secondary rate limit, you will receive a 403 or 429 response ... If the retry-after response header is present, you should not retry your request until after that many seconds has elapsed." */
  secondaryRateLimit(retryAfterSeconds = 1, status: 403 | 429 = 403): FailureResponse {
    return {
      status,
      headers: { "retry-after": String(retryAfterSeconds) },
      body: {
        message:
          "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.",
        documentation_url: `${rateLimitDocs}#about-secondary-rate-limits`,
        status: String(status),
      },
    };
  },

  /** The primary limit: 403 with `x-ratelimit-remaining: 0` and the reset time in epoch seconds. */
  primaryRateLimit(resetAt: Date, limit = 5000): FailureResponse {
    return {
      status: 403,
      headers: {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": String(limit),
        "x-ratelimit-reset": String(Math.floor(resetAt.getTime() / 1000)),
        "x-ratelimit-resource": "core",
      },
      body: {
        message: "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.",
        documentation_url: `${rateLimitDocs}#about-primary-rate-limits`,
        status: "403",
      },
    };
  },
};
