/**
 * The GitHub webhook endpoint: `POST /webhooks/github` and `GET /healthz`.
 * The same hono app runs in Lambda (functions/webhook.ts) and in
 * `meshplan serve`.
 *
 * A delivery goes through, in this order, and nothing is parsed before its
 * signature verifies:
 *   1. read the raw body as bytes, at most `maxBodyBytes` (413)
 *   2. verify `X-Hub-Signature-256`, an HMAC-SHA256 of those bytes keyed by
 *      the webhook secret, compared in constant time (401)
 *   3. parse JSON (400), require `X-GitHub-Event` and `X-GitHub-Delivery` (400)
 *   4. classify it and queue its job, deduplicated by the delivery id
 *      (503 when the queue refuses: GitHub marks the delivery failed and it
 *      can be redelivered)
 * and answers 202 at once: GitHub gives up on a delivery after 10 seconds,
 * so the check itself runs from the queue.
 */
import { HonoBase } from "hono/hono-base";
import { TrieRouter } from "hono/router/trie-router";
import { verify } from "@octokit/webhooks-methods";
import { childLogger } from "../adapters/log/child-logger.js";
import { CHECK_NAME } from "../jobs/check-names.js";
import type { JobQueue, Logger } from "../jobs/ports.js";
import { classifyWebhook } from "../jobs/webhook-event.js";
import { WebhookRejection } from "./webhook-rejection.js";

export interface WebhookAppDeps {
  /** The GitHub App's webhook secret. */
  secret: string;
  queue: JobQueue;
  logger: Logger;
  /** The check run name meshplan reports under (default `meshplan`). */
  checkName?: string;
  /** The GitHub App's numeric id: re-runs of other apps' check suites are then ignored (see classifyWebhook). */
  appId?: number;
  /** Largest body accepted; default 25 MiB, GitHub's cap on webhook payloads. */
  maxBodyBytes?: number;
}

export interface WebhookResponse {
  delivery: string;
  action: "enqueue" | "ack" | "ignore";
  reason?: string;
  enqueued: boolean;
}

export const defaultMaxBodyBytes = 25 * 1024 * 1024;

type WebhookEnv = { Variables: { log: Logger } };

export function createWebhookApp(deps: WebhookAppDeps) {
  // @octokit/webhooks-methods throws on an empty secret; fail at start-up, not on the first delivery.
  if (!deps.secret) throw new TypeError("createWebhookApp: the webhook secret is empty");
  const maxBodyBytes = deps.maxBodyBytes ?? defaultMaxBodyBytes;
  const checkName = deps.checkName ?? CHECK_NAME;
  // Two fixed routes: TrieRouter matches them exactly as hono's default preset does (a trailing slash is
  // another path), without that preset's RegExpRouter, whose code a cold start would load and whose
  // matcher the first request would compile, for nothing a couple of static paths need.
  const app = new HonoBase<WebhookEnv>({ router: new TrieRouter() });

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.post("/webhooks/github", async (c) => {
    // Unverified until step 2: logged for correlation only, cut short so a caller cannot flood the log.
    const delivery = c.req.header("x-github-delivery")?.slice(0, 100);
    const event = c.req.header("x-github-event")?.slice(0, 100);
    const log = childLogger(deps.logger, { delivery, event });
    c.set("log", log);

    const body = await readBody(c.req.raw, maxBodyBytes);

    const signature = c.req.header("x-hub-signature-256");
    if (!signature) {
      throw new WebhookRejection(401, "missing X-Hub-Signature-256: give the GitHub App a webhook secret and set the same value in GITHUB_WEBHOOK_SECRET");
    }
    const text = decodeUtf8(body);
    // GitHub signs the UTF-8 JSON it sends; bytes that are not UTF-8 cannot be what it signed.
    if (text === null || text.length === 0 || !(await verify(deps.secret, text, signature))) {
      throw new WebhookRejection(401, "X-Hub-Signature-256 does not match the body: GITHUB_WEBHOOK_SECRET must equal the GitHub App's webhook secret");
    }

    if (c.req.header("content-type")?.startsWith("application/x-www-form-urlencoded")) {
      throw new WebhookRejection(400, "the payload is form-encoded: set the webhook's content type to application/json");
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      throw new WebhookRejection(400, `the body is not valid JSON: ${(error as Error).message}`);
    }
    if (!event) throw new WebhookRejection(400, "missing X-GitHub-Event: GitHub names the event of every delivery in it");
    if (!delivery) throw new WebhookRejection(400, "missing X-GitHub-Delivery: GitHub identifies every delivery in it");

    const decision = classifyWebhook(event, delivery, payload, { checkName, appId: deps.appId });
    let enqueued = false;
    if (decision.action === "enqueue") {
      for (const { job, options } of decision.jobs) {
        try {
          enqueued = (await deps.queue.enqueue(job, options)).enqueued || enqueued;
        } catch (error) {
          throw new WebhookRejection(503, "the job queue did not accept the job; redeliver this delivery from the GitHub App's Advanced settings", { cause: error });
        }
      }
    }
    const reason = decision.action !== "enqueue" ? decision.reason : enqueued ? undefined : "redelivery: this delivery was already queued";
    log.info("webhook accepted", { action: decision.action, reason, enqueued, jobs: decision.action === "enqueue" ? decision.jobs.length : 0 });
    const response: WebhookResponse = { delivery, action: decision.action, ...(reason !== undefined ? { reason } : {}), enqueued };
    return c.json(response, 202);
  });

  // The one place errors become responses.
  app.onError((error, c) => {
    const log = c.get("log") ?? deps.logger;
    if (error instanceof WebhookRejection) {
      const fields = { status: error.status, reason: error.reason, ...(error.cause !== undefined ? { error: error.cause } : {}) };
      if (error.status >= 500) log.error("webhook rejected", fields);
      else log.warn("webhook rejected", fields);
      return c.json({ error: error.reason }, error.status);
    }
    log.error("webhook handling failed", { error });
    return c.json({ error: "meshplan could not handle this delivery; redeliver it from the GitHub App's Advanced settings" }, 500);
  });

  return app;
}

/** The body as bytes, refusing more than `limit` before reading it (Content-Length) and while reading it (chunked). */
async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(limit: number): WebhookRejection {
  return new WebhookRejection(413, `the body is larger than ${limit} bytes`);
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    // ignoreBOM keeps a byte order mark in the text, so the text re-encodes to exactly the bytes received.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
