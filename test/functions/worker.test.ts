/** The worker Lambda: which queue messages go back to the queue (batchItemFailures), and which are done. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createWorkerHandler } from "../../functions/worker.js";
import type { Job } from "../../src/jobs/ports.js";
import type { JobDeps, JobOutcome } from "../../src/jobs/run-job.js";
import { checkJob } from "../adapters/queue/fixtures.js";
import { sqsEvent, sqsRecord } from "./sqs-event.js";

const logLines: Record<string, unknown>[] = [];
const jobDeps: JobDeps = {
  github: () => {
    throw new Error("the fake runJob never reaches GitHub");
  },
  clock: { now: () => new Date("2026-11-24T10:00:00Z") },
  logger: {
    info: (msg, f) => logLines.push({ level: "info", msg, ...f }),
    warn: (msg, f) => logLines.push({ level: "warn", msg, ...f }),
    error: (msg, f) => logLines.push({ level: "error", msg, ...f }),
  },
  defaultPack: [],
  queue: {
    enqueue: () => Promise.reject(new Error("the fake runJob never queues")),
  },
  connectCluster: () => Promise.reject(new Error("the fake runJob never reaches a cluster")),
  metrics: { record: () => assert.fail("the fake runJob records no metrics") },
};

/** A runJob that records the pull requests it ran and fails those listed. */
function fakeRunJob(outcomes: Record<number, "throw" | JobOutcome["status"]> = {}) {
  const ran: number[] = [];
  const runJob = async (job: Job, deps: JobDeps): Promise<JobOutcome> => {
    assert.equal(deps.clock, jobDeps.clock);
    const n = job.kind === "pr-check" ? job.pullNumber : 0;
    ran.push(n);
    const outcome = outcomes[n] ?? "done";
    if (outcome === "throw") throw new Error(`GitHub answered 502 for #${n}`);
    return { status: outcome, detail: `#${n} ${outcome}` };
  };
  return { ran, runJob };
}

const message = (id: string, pullNumber: number, group = "shop/mesh") => sqsRecord(id, JSON.stringify(checkJob(pullNumber)), group);

describe("createWorkerHandler", () => {
  it("returns nothing to the queue when every job is done", async () => {
    const { ran, runJob } = fakeRunJob();
    const r = await createWorkerHandler({ runJob, jobDeps })(sqsEvent(message("m-1", 1), message("m-2", 2, "shop/other")));
    assert.deepEqual(r, { batchItemFailures: [] });
    assert.deepEqual(ran.sort(), [1, 2]);
  });

  it("returns exactly the message whose job threw", async () => {
    const { runJob } = fakeRunJob({ 2: "throw" });
    const r = await createWorkerHandler({ runJob, jobDeps })(sqsEvent(message("m-1", 1, "shop/mesh"), message("m-2", 2, "shop/other")));
    assert.deepEqual(r, { batchItemFailures: [{ itemIdentifier: "m-2" }] });
  });

  it("returns a message that is not a job, and only that one", async () => {
    const { ran, runJob } = fakeRunJob();
    const r = await createWorkerHandler({ runJob, jobDeps })(sqsEvent(sqsRecord("m-bad", '{"kind":"pr-check"', "shop/other"), message("m-1", 1)));
    assert.deepEqual(r, { batchItemFailures: [{ itemIdentifier: "m-bad" }] });
    assert.deepEqual(ran, [1]);
    assert.ok(logLines.some((l) => l.msg === "message is not a job" && l.messageId === "m-bad"));
  });

  it("keeps a repository's jobs in order: after a failure, the group's later messages go back unrun", async () => {
    const { ran, runJob } = fakeRunJob({ 1: "throw" });
    const r = await createWorkerHandler({ runJob, jobDeps })(sqsEvent(message("m-1", 1), message("m-2", 2), message("m-3", 3, "shop/other")));
    assert.deepEqual(r, { batchItemFailures: [{ itemIdentifier: "m-1" }, { itemIdentifier: "m-2" }] });
    assert.deepEqual(ran.sort(), [1, 3]);
  });

  it("does not retry a job that reported its own failure on the check run", async () => {
    logLines.length = 0;
    const { runJob } = fakeRunJob({ 1: "failed" });
    const r = await createWorkerHandler({ runJob, jobDeps })(sqsEvent(message("m-1", 1)));
    assert.deepEqual(r, { batchItemFailures: [] });
    const line = logLines.find((l) => l.msg === "job failed and reported it");
    assert.ok(line);
    assert.equal(line.level, "error");
    assert.equal(line.delivery, "delivery-1");
    assert.equal(line.messageId, "m-1");
  });
});
