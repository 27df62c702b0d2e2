/**
 * The webhook endpoint as GitHub calls it: signed deliveries of real example
 * payloads, and every way a request is refused before any job is queued.
 */
import { describe, it, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { sign } from "@octokit/webhooks-methods";
import { createWebhookApp } from "../../src/server/webhook-app.js";
import { createInProcessQueue } from "../../src/adapters/queue/in-process-queue.js";
import { createJsonLogger } from "../../src/adapters/log/json-logger.js";
import type { EnqueueOptions, Job, JobQueue } from "../../src/jobs/ports.js";
import { webhookExample, type Payload } from "./webhook-examples.js";

const secret = "It's a Secret to Everybody";
const deliveryId = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

let ran: Job[];
let queued: { job: Job; options: EnqueueOptions }[];
let logLines: string[];
let queue: ReturnType<typeof createInProcessQueue>;

/** The in-process queue (real deduplication), recording what reaches it and what runs. */
function recordingQueue(): JobQueue & { drain(): Promise<void> } {
  queue = createInProcessQueue(async (job) => void ran.push(job), { logger: createJsonLogger({ write: (l) => logLines.push(l) }) });
  return {
    enqueue: (job, options) => {
      queued.push({ job, options });
      return queue.enqueue(job, options);
    },
    drain: () => queue.drain(),
  };
}

function app(over: Partial<Parameters<typeof createWebhookApp>[0]> = {}) {
  return createWebhookApp({ secret, queue: recordingQueue(), logger: createJsonLogger({ write: (l) => logLines.push(l) }), ...over });
}

interface Delivery {
  headers?: Record<string, string | undefined>;
  /** Sign with this secret instead of the app's. */
  signWith?: string;
}

async function deliver(target: ReturnType<typeof createWebhookApp>, event: string, payload: Payload | string, options: Delivery = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string | undefined> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/044aadd",
    "x-github-event": event,
    "x-github-delivery": deliveryId,
    // The library cannot sign an empty body; a well-formed signature of nothing stands in.
    "x-hub-signature-256": body === "" ? `sha256=${"0".repeat(64)}` : await sign(options.signWith ?? secret, body),
    ...options.headers,
  };
  const defined = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await target.request("/webhooks/github", { method: "POST", headers: defined, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const pullRequest = (action: string) => webhookExample("pull_request", (p) => p.action === action && p.installation !== undefined);

beforeEach(() => {
  ran = [];
  queued = [];
  logLines = [];
});

describe("webhook app: refused deliveries", () => {
  it("refuses a delivery signed with another secret (401), queuing nothing", async () => {
    const r = await deliver(app(), "pull_request", pullRequest("opened"), { signWith: "not the secret" });
    assert.equal(r.status, 401);
    assert.match(String(r.body.error), /X-Hub-Signature-256 does not match the body/);
    assert.equal(queued.length, 0);
  });

  it("refuses a body changed after signing (401)", async () => {
    const payload = pullRequest("opened");
    const signature = await sign(secret, JSON.stringify(payload));
    payload.pull_request.head.sha = "0".repeat(40);
    const r = await deliver(app(), "pull_request", payload, { headers: { "x-hub-signature-256": signature } });
    assert.equal(r.status, 401);
    assert.equal(queued.length, 0);
  });

  it("refuses an unsigned delivery (401), and an empty one", async () => {
    const r = await deliver(app(), "ping", webhookExample("ping"), { headers: { "x-hub-signature-256": undefined } });
    assert.equal(r.status, 401);
    assert.match(String(r.body.error), /missing X-Hub-Signature-256/);
    assert.equal((await deliver(app(), "ping", "")).status, 401);
  });

  it("refuses a signature in the old SHA-1 header only (401)", async () => {
    const r = await deliver(app(), "ping", webhookExample("ping"), { headers: { "x-hub-signature-256": undefined, "x-hub-signature": "sha1=0123" } });
    assert.equal(r.status, 401);
  });

  it("refuses malformed JSON (400) with the parser's reason, once the signature verifies", async () => {
    const r = await deliver(app(), "ping", '{"zen": "Keep it logically awesome."');
    assert.equal(r.status, 400);
    assert.match(String(r.body.error), /^the body is not valid JSON: /);
  });

  it("refuses a form-encoded payload (400), saying which content type to choose", async () => {
    const r = await deliver(app(), "ping", `payload=${encodeURIComponent(JSON.stringify(webhookExample("ping")))}`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(r.status, 400);
    assert.match(String(r.body.error), /application\/json/);
  });

  it("refuses a delivery without X-GitHub-Event or X-GitHub-Delivery (400)", async () => {
    const noEvent = await deliver(app(), "ping", webhookExample("ping"), { headers: { "x-github-event": undefined } });
    assert.equal(noEvent.status, 400);
    assert.match(String(noEvent.body.error), /missing X-GitHub-Event/);
    const noDelivery = await deliver(app(), "ping", webhookExample("ping"), { headers: { "x-github-delivery": undefined } });
    assert.equal(noDelivery.status, 400);
    assert.match(String(noDelivery.body.error), /missing X-GitHub-Delivery/);
  });

  it("answers 503 with a reason when the queue refuses the job, logging the cause", async () => {
    const broken: JobQueue = {
      enqueue: async () => {
        throw new Error("SQS: ServiceUnavailable");
      },
    };
    const r = await deliver(app({ queue: broken }), "pull_request", pullRequest("opened"));
    assert.equal(r.status, 503);
    assert.match(String(r.body.error), /job queue did not accept the job; redeliver/);
    const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "webhook rejected");
    assert.equal(logged.level, "error");
    assert.equal(logged.delivery, deliveryId);
    assert.match(logged.error.message, /ServiceUnavailable/);
  });
});

describe("webhook app: body size cap", () => {
  /** A request body that counts the bytes the app pulls from it. */
  function countedBody(chunks: number, chunkSize: number) {
    const pulled = { bytes: 0, cancelled: false };
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === chunks) return controller.close();
        sent++;
        pulled.bytes += chunkSize;
        controller.enqueue(new Uint8Array(chunkSize).fill(0x20));
      },
      cancel() {
        pulled.cancelled = true;
      },
    }, { highWaterMark: 0 });
    return { stream, pulled };
  }

  async function post(target: ReturnType<typeof createWebhookApp>, body: ReadableStream<Uint8Array> | string, headers: Record<string, string>) {
    const request = new Request("http://meshplan.test/webhooks/github", { method: "POST", body, headers, duplex: "half" } as RequestInit);
    const res = await target.fetch(request);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("refuses a body whose Content-Length exceeds the cap (413) without reading it, even unsigned", async () => {
    const { stream, pulled } = countedBody(8, 1024);
    const r = await post(app({ maxBodyBytes: 4096 }), stream, { "content-length": "8192", "x-github-event": "ping" });
    assert.equal(r.status, 413);
    assert.match(String(r.body.error), /larger than 4096 bytes/);
    assert.equal(pulled.bytes, 0);
  });

  it("stops reading a streamed body at the cap (413) and never parses it, even correctly signed", async () => {
    const payload = JSON.stringify({ ...webhookExample("ping"), padding: "x".repeat(5000) });
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      parsed++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    const headers = { "x-github-event": "ping", "x-github-delivery": deliveryId, "x-hub-signature-256": await sign(secret, payload) };
    let status: number;
    try {
      const request = new Request("http://meshplan.test/webhooks/github", { method: "POST", body: payload, headers });
      status = (await app({ maxBodyBytes: 4096 }).fetch(request)).status;
    } finally {
      JSON.parse = parse;
    }
    assert.equal(status, 413);
    assert.equal(parsed, 0);

    const { stream, pulled } = countedBody(64, 1024);
    assert.equal((await post(app({ maxBodyBytes: 4096 }), stream, { "x-github-event": "ping" })).status, 413);
    assert.ok(pulled.bytes <= 4096 + 2 * 1024, `read ${pulled.bytes} bytes of 65536`);
    assert.equal(pulled.cancelled, true);
    assert.equal(queued.length, 0);
  });

  it("accepts a body of exactly the cap", async () => {
    const ping = JSON.stringify(webhookExample("ping"));
    const r = await deliver(app({ maxBodyBytes: Buffer.byteLength(ping) }), "ping", ping);
    assert.equal(r.status, 202);
  });
});

describe("webhook app: accepted deliveries", () => {
  it("acknowledges a ping (202)", async () => {
    const r = await deliver(app(), "ping", webhookExample("ping"));
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { delivery: deliveryId, action: "ack", reason: "ping: the webhook reaches meshplan", enqueued: false });
  });

  it("ignores an event it does not act on (202), saying so", async () => {
    const r = await deliver(app(), "star", { action: "created", starred_at: "2019-05-15T15:20:40Z" });
    assert.equal(r.status, 202);
    assert.equal(r.body.action, "ignore");
    assert.match(String(r.body.reason), /"star"/);
    assert.equal(queued.length, 0);
  });

  it("queues exactly one check for an opened pull request, keyed by the delivery and grouped by repository", async () => {
    const target = app();
    const r = await deliver(target, "pull_request", pullRequest("opened"));
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { delivery: deliveryId, action: "enqueue", enqueued: true });
    assert.deepEqual(queued, [
      {
        job: {
          kind: "pr-check",
          deliveryId,
          installationId: 1,
          repo: { owner: "Codertocat", repo: "Hello-World" },
          pullNumber: 2,
          baseSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
          headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
          baseRef: "master",
          headRef: "changes",
          headRepoFullName: "Codertocat/Hello-World",
          rerequested: false,
        },
        options: { deduplicationId: deliveryId, groupId: "Codertocat/Hello-World" },
      },
    ]);
    await queue.drain();
    assert.equal(ran.length, 1);
  });

  it("queues a check when a pull request is synchronized", async () => {
    const r = await deliver(app(), "pull_request", pullRequest("synchronize"));
    assert.equal(r.body.action, "enqueue");
    assert.equal(queued.length, 1);
    assert.equal(queued[0]!.job.kind, "pr-check");
  });

  it("ignores a closed pull request", async () => {
    const r = await deliver(app(), "pull_request", pullRequest("closed"));
    assert.equal(r.status, 202);
    assert.equal(r.body.action, "ignore");
    assert.equal(queued.length, 0);
  });

  it("checks a pull request from a fork, naming the fork as head repository", async () => {
    const payload = pullRequest("opened");
    payload.pull_request.head.repo.full_name = "octocat-fork/Hello-World";
    await deliver(app(), "pull_request", payload);
    assert.equal(queued.length, 1);
    const job = queued[0]!.job;
    assert.equal(job.kind === "pr-check" && job.headRepoFullName, "octocat-fork/Hello-World");
    assert.deepEqual(job.repo, { owner: "Codertocat", repo: "Hello-World" });
  });

  it("queues a rollout for a push to the default branch, and nothing for another branch", async () => {
    const push = webhookExample("push", (p) => p.ref === "refs/heads/master" && p.installation !== undefined);
    const target = app();
    assert.equal((await deliver(target, "push", push)).body.action, "enqueue");
    assert.deepEqual(queued.map((q) => [q.job.kind, q.options.groupId]), [["rollout", "Codertocat/Hello-World:rollout"]]);

    push.ref = "refs/heads/experiment";
    const other = await deliver(target, "push", push, { headers: { "x-github-delivery": "another-delivery" } });
    assert.equal(other.body.action, "ignore");
    assert.equal(queued.length, 1);
  });

  it("with the app's id, leaves re-runs of GitHub Actions' check suites alone", async () => {
    const suite = webhookExample("check_suite", (p) => p.action === "rerequested");
    const r = await deliver(app({ appId: 4242 }), "check_suite", suite);
    assert.equal(r.body.action, "ignore");
    assert.equal(queued.length, 0);
    assert.equal((await deliver(app(), "check_suite", suite)).body.action, "enqueue", "without the id, every re-requested suite is re-checked");
  });

  it("queues a redelivered webhook once, answering 202 both times", async () => {
    const target = app();
    const first = await deliver(target, "pull_request", pullRequest("opened"));
    const again = await deliver(target, "pull_request", pullRequest("opened"));
    assert.equal(first.status, 202);
    assert.equal(again.status, 202);
    assert.equal(first.body.enqueued, true);
    assert.deepEqual(again.body, { delivery: deliveryId, action: "enqueue", reason: "redelivery: this delivery was already queued", enqueued: false });
    await queue.drain();
    assert.equal(ran.length, 1);
  });

  it("logs each delivery under its id and event, without the payload, secret or signature", async () => {
    const payload = pullRequest("opened");
    const body = JSON.stringify(payload);
    await deliver(app(), "pull_request", payload);
    await deliver(app(), "pull_request", payload, { signWith: "wrong" });
    const records = logLines.map((l) => JSON.parse(l));
    assert.deepEqual(
      records.map((r) => [r.msg, r.delivery, r.event]),
      [
        ["webhook accepted", deliveryId, "pull_request"],
        ["webhook rejected", deliveryId, "pull_request"],
      ],
    );
    const all = logLines.join("\n");
    assert.ok(!all.includes(secret));
    assert.ok(!all.includes((await sign(secret, body)).slice(7)));
    assert.ok(!all.includes(payload.sender.login) && !all.includes(payload.pull_request.head.sha));
  });
});

describe("webhook app: health", () => {
  it("answers GET /healthz with 200", async () => {
    const res = await app().request("/healthz");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });
  it("routes its two paths exactly: another method, a trailing slash or another path is 404", async () => {
    for (const [method, path] of [["GET", "/webhooks/github"], ["POST", "/webhooks/github/"], ["POST", "/webhooks//github"], ["GET", "/healthz/"], ["POST", "/healthz"], ["GET", "/"]] as const) {
      const res = await app().request(path, { method });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    assert.equal((await app().request("/healthz", { method: "HEAD" })).status, 200);
  });
  it("refuses to start without a webhook secret", () => {
    assert.throws(() => app({ secret: "" }), /webhook secret is empty/);
  });
});
