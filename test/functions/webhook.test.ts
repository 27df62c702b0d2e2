/**
 * The webhook Lambda behind API Gateway (HTTP API, payload format 2.0), as
 * GitHub's deliveries reach it. Events are typed with hono's Lambda types,
 * which is what its adapter accepts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sign } from "@octokit/webhooks-methods";
import type { LambdaEvent } from "hono/aws-lambda";
import { createWebhookHandler, handler } from "../../functions/webhook.js";
import type { Job } from "../../src/jobs/ports.js";
import { webhookExample } from "../server/webhook-examples.js";

const secret = "It's a Secret to Everybody";
const silent = { info() {}, warn() {}, error() {} };

function apiGatewayEvent(body: string, headers: Record<string, string>, base64 = false): Extract<LambdaEvent, { rawPath: string }> {
  return {
    version: "2.0",
    routeKey: "POST /webhooks/github",
    rawPath: "/webhooks/github",
    rawQueryString: "",
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3",
      authentication: null,
      authorizer: {},
      domainName: "a1b2c3.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "a1b2c3",
      http: { method: "POST", path: "/webhooks/github", protocol: "HTTP/1.1", sourceIp: "140.82.115.1", userAgent: "GitHub-Hookshot/044aadd" },
      requestId: "req-1",
      routeKey: "POST /webhooks/github",
      stage: "$default",
      time: "24/Nov/2026:10:00:00 +0000",
      timeEpoch: 1795514400000,
    },
    body: base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: base64,
  };
}

async function githubHeaders(event: string, body: string) {
  return { "x-github-event": event, "x-github-delivery": "d-lambda", "x-hub-signature-256": await sign(secret, body) };
}

describe("webhook Lambda", () => {
  const pullRequest = JSON.stringify(webhookExample("pull_request", (p) => p.action === "opened" && p.installation !== undefined));

  it("verifies and queues a delivery API Gateway passes as text", async () => {
    const queued: Job[] = [];
    const handle = createWebhookHandler({ secret, logger: silent, queue: { enqueue: async (job) => (queued.push(job), { enqueued: true }) } });
    const r = await handle(apiGatewayEvent(pullRequest, await githubHeaders("pull_request", pullRequest)));
    assert.equal(r.statusCode, 202);
    assert.deepEqual(JSON.parse(r.body), { delivery: "d-lambda", action: "enqueue", enqueued: true });
    assert.equal(queued.length, 1);
  });

  it("verifies the signature over the decoded bytes of a base64 body", async () => {
    const handle = createWebhookHandler({ secret, logger: silent, queue: { enqueue: async () => ({ enqueued: true }) } });
    const r = await handle(apiGatewayEvent(pullRequest, await githubHeaders("pull_request", pullRequest), true));
    assert.equal(r.statusCode, 202);
  });

  it("refuses a delivery with a wrong signature (401)", async () => {
    const handle = createWebhookHandler({ secret, logger: silent, queue: { enqueue: async () => ({ enqueued: true }) } });
    const headers = { ...(await githubHeaders("pull_request", pullRequest)), "x-hub-signature-256": await sign("other", pullRequest) };
    assert.equal((await handle(apiGatewayEvent(pullRequest, headers))).statusCode, 401);
  });

  it("builds itself from the environment on the first invocation: a ping needs no queue call", async () => {
    process.env.GITHUB_WEBHOOK_SECRET = secret;
    process.env.MESHPLAN_QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/meshplan-jobs.fifo";
    process.env.AWS_REGION = "eu-west-1";
    const ping = JSON.stringify(webhookExample("ping"));
    const r = await handler(apiGatewayEvent(ping, await githubHeaders("ping", ping)));
    assert.equal(r.statusCode, 202);
    assert.equal(JSON.parse(r.body).action, "ack");
  });
});
