/**
 * The Kubernetes adapter's one retry policy. Retried: 429 and the 5xx answers
 * a busy or restarting API server gives (500, 502, 503, 504), and requests
 * that got no answer because the connection failed. Never retried: every
 * other 4xx (a conflict, an invalid object, a refusal will not change by
 * asking again) and TLS or credential failures. Every request the adapter
 * makes is idempotent — discovery, GET, LIST, DELETE and server-side apply,
 * whose result depends only on the applied configuration — so a request the
 * server may have carried out before the connection dropped is safe to repeat.
 *
 * A `Retry-After` in seconds (API conventions: sent with 429 and with 503/504
 * when the server knows how long) is waited out before the next attempt,
 * capped so one answer cannot stall a rollout.
 */
import pRetry from "p-retry";
import type { KubeResponse, KubeSend } from "./kube-transport.js";
import { KubeTransportError } from "./kube-transport.js";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Backoff before the first retry; doubles each time up to `maxTimeoutMs`. */
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

export const defaultRetryPolicy = (): RetryPolicy => ({ retries: 4, minTimeoutMs: 250, maxTimeoutMs: 4000 });

/** The longest `Retry-After` honoured. */
export const maxRetryAfterMs = 30_000;

const retriedStatuses = new Set([429, 500, 502, 503, 504]);

class RetriableAnswer extends Error {
  constructor(readonly response: KubeResponse) {
    super(`HTTP ${response.status}`);
  }
}

/** Milliseconds the answer asks the client to wait, when it says (delta-seconds form only, as the API server sends). */
export function retryAfterMs(response: KubeResponse): number | undefined {
  const value = response.headers["retry-after"];
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Math.min(Number(value) * 1000, maxRetryAfterMs);
}

/**
 * `send` with retries. Answers with a retried status that persist past the
 * last retry are returned as answers; connection failures past it are thrown.
 */
export function retrying(send: KubeSend, policy: RetryPolicy, sleep: (ms: number) => Promise<void>): KubeSend {
  return async (request) => {
    try {
      return await pRetry(
        async () => {
          const response = await send(request);
          if (retriedStatuses.has(response.status)) throw new RetriableAnswer(response);
          return response;
        },
        {
          retries: policy.retries,
          minTimeout: policy.minTimeoutMs,
          maxTimeout: policy.maxTimeoutMs,
          factor: 2,
          randomize: true,
          // Called only when a retry is left; waiting here, before p-retry's own backoff, keeps the wait off the last failure.
          shouldRetry: async ({ error }) => {
            if (error instanceof KubeTransportError) return error.failure === "connection";
            if (!(error instanceof RetriableAnswer)) return false;
            const wait = retryAfterMs(error.response);
            if (wait) await sleep(wait);
            return true;
          },
        },
      );
    } catch (err) {
      if (err instanceof RetriableAnswer) return err.response;
      throw err;
    }
  };
}
