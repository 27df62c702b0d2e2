/** The in-process queue keeps SQS FIFO's promises: deduplication, order per group, concurrency across groups. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createInProcessQueue } from "../../../src/adapters/queue/in-process-queue.js";
import type { Job } from "../../../src/jobs/ports.js";
import { checkJob, rolloutJob } from "./fixtures.js";

const silent = { info() {}, warn() {}, error() {} };
const label = (job: Job) => (job.kind === "pr-check" ? `#${job.pullNumber}` : "rollout");

/** A handler whose jobs finish only when the test says so. */
function heldHandler() {
  const events: string[] = [];
  const release = new Map<string, () => void>();
  const handler = (job: Job) =>
    new Promise<void>((resolve) => {
      events.push(`start ${label(job)}`);
      release.set(label(job), () => {
        events.push(`end ${label(job)}`);
        resolve();
      });
    });
  return { events, handler, finish: (name: string) => release.get(name)!() };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("createInProcessQueue", () => {
  it("runs a queued job, and drain waits for it", async () => {
    const ran: Job[] = [];
    const queue = createInProcessQueue(async (job) => void ran.push(job), { logger: silent });
    assert.deepEqual(await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" }), { enqueued: true });
    await queue.drain();
    assert.deepEqual(ran, [checkJob(1)]);
  });

  it("drops a redelivered webhook (same deduplication id) within the window", async () => {
    const ran: Job[] = [];
    const queue = createInProcessQueue(async (job) => void ran.push(job), { logger: silent });
    await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" });
    assert.deepEqual(await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" }), { enqueued: false });
    await queue.drain();
    assert.equal(ran.length, 1);
  });

  it("accepts the id again once the 5-minute window has passed", async () => {
    let now = Date.parse("2026-11-24T10:00:00Z");
    const queue = createInProcessQueue(async () => {}, { logger: silent, clock: { now: () => new Date(now) } });
    const options = { deduplicationId: "d-1", groupId: "shop/mesh" };
    await queue.enqueue(checkJob(1), options);
    now += 4 * 60 * 1000;
    assert.equal((await queue.enqueue(checkJob(1), options)).enqueued, false);
    now += 60 * 1000;
    assert.equal((await queue.enqueue(checkJob(1), options)).enqueued, true);
    await queue.drain();
  });

  it("remembers a bounded number of ids, forgetting the oldest", async () => {
    const queue = createInProcessQueue(async () => {}, { logger: silent, maxRememberedIds: 2 });
    for (const id of ["d-1", "d-2", "d-3"]) await queue.enqueue(checkJob(1), { deduplicationId: id, groupId: "g" });
    assert.equal((await queue.enqueue(checkJob(1), { deduplicationId: "d-3", groupId: "g" })).enqueued, false);
    assert.equal((await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "g" })).enqueued, true);
    await queue.drain();
  });

  it("runs one repository's jobs one at a time in order, and other groups meanwhile", async () => {
    const { events, handler, finish } = heldHandler();
    const queue = createInProcessQueue(handler, { logger: silent });
    await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" });
    await queue.enqueue(checkJob(2), { deduplicationId: "d-2", groupId: "shop/mesh" });
    await queue.enqueue(rolloutJob(), { deduplicationId: "d-3", groupId: "shop/mesh:rollout" });
    await tick();
    assert.deepEqual(events, ["start #1", "start rollout"], "#2 waits for #1; the rollout group does not");
    finish("rollout");
    await tick();
    assert.deepEqual(events.slice(2), ["end rollout"], "#2 still waits for #1");
    finish("#1");
    await tick();
    assert.deepEqual(events.slice(3), ["end #1", "start #2"]);
    finish("#2");
    await queue.drain();
    assert.deepEqual(events.slice(5), ["end #2"]);
  });

  it("logs a failed job and goes on with the group's next one", async () => {
    const errors: [string, Record<string, unknown> | undefined][] = [];
    const ran: number[] = [];
    const queue = createInProcessQueue(
      async (job) => {
        if (job.kind === "pr-check" && job.pullNumber === 1) throw new Error("GitHub answered 502");
        if (job.kind === "pr-check") ran.push(job.pullNumber);
      },
      { logger: { ...silent, error: (m, f) => errors.push([m, f]) } },
    );
    await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" });
    await queue.enqueue(checkJob(2), { deduplicationId: "d-2", groupId: "shop/mesh" });
    await queue.drain();
    assert.deepEqual(ran, [2]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]![0], "job failed");
    assert.equal(errors[0]![1]!.deliveryId, "delivery-1");
    assert.match(String(errors[0]![1]!.error), /502/);
  });

  it("drain also waits for jobs queued while draining", async () => {
    const ran: number[] = [];
    const queue = createInProcessQueue(
      async (job) => {
        if (job.kind !== "pr-check") return;
        ran.push(job.pullNumber);
        if (job.pullNumber === 1) void queue.enqueue(checkJob(2), { deduplicationId: "d-2", groupId: "other" });
      },
      { logger: silent },
    );
    await queue.enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" });
    await queue.drain();
    assert.deepEqual(ran, [1, 2]);
  });
});
