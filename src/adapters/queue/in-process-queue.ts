/**
 * The job queue of `meshplan serve` and of tests: the same contract as the
 * SQS FIFO queue, in memory.
 *
 * - Deduplication: a deduplication id seen within the window is dropped
 *   (`enqueued: false`), like SQS FIFO's 5-minute deduplication interval. The
 *   ids remembered are bounded, oldest forgotten first.
 * - Ordering: jobs of one group run one at a time, in the order enqueued
 *   (SQS FIFO message groups); different groups run concurrently.
 * - A job that throws is logged and the queue carries on with the next one.
 */
import type { Clock, EnqueueOptions, Job, JobQueue, Logger } from "../../jobs/ports.js";
import { createJsonLogger } from "../log/json-logger.js";

export interface InProcessQueueOptions {
  clock?: Clock;
  /** How long a deduplication id is remembered; SQS FIFO uses 5 minutes. */
  deduplicationWindowMs?: number;
  /** At most this many ids are remembered; beyond it the oldest are forgotten. */
  maxRememberedIds?: number;
  logger?: Logger;
}

export interface InProcessQueue extends JobQueue {
  /** Resolves when every job enqueued so far, and every job enqueued meanwhile, has finished. */
  drain(): Promise<void>;
}

export const defaultDeduplicationWindowMs = 5 * 60 * 1000;
const defaultMaxRememberedIds = 10_000;

export function createInProcessQueue(handler: (job: Job) => Promise<void>, options: InProcessQueueOptions = {}): InProcessQueue {
  const clock = options.clock ?? { now: () => new Date() };
  const windowMs = options.deduplicationWindowMs ?? defaultDeduplicationWindowMs;
  const maxIds = options.maxRememberedIds ?? defaultMaxRememberedIds;
  const logger = options.logger ?? createJsonLogger();
  /** Deduplication id -> when it may be used again; insertion order is arrival order. */
  const remembered = new Map<string, number>();
  /** The last job of each group with work in flight: the next job of the group waits for it. */
  const groupTails = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  const forgetExpired = (now: number) => {
    for (const [id, until] of remembered) {
      if (until > now) break;
      remembered.delete(id);
    }
  };

  const run = async (job: Job, groupId: string) => {
    try {
      await handler(job);
    } catch (error) {
      logger.error("job failed", { kind: job.kind, deliveryId: job.deliveryId, groupId, error });
    }
  };

  return {
    async enqueue(job: Job, { deduplicationId, groupId }: EnqueueOptions) {
      const now = clock.now().getTime();
      forgetExpired(now);
      const until = remembered.get(deduplicationId);
      if (until !== undefined && until > now) return { enqueued: false };
      remembered.delete(deduplicationId);
      remembered.set(deduplicationId, now + windowMs);
      while (remembered.size > maxIds) remembered.delete(remembered.keys().next().value!);

      const previous = groupTails.get(groupId) ?? Promise.resolve();
      const done = previous.then(() => run(job, groupId));
      groupTails.set(groupId, done);
      inFlight.add(done);
      void done.then(() => {
        inFlight.delete(done);
        if (groupTails.get(groupId) === done) groupTails.delete(groupId);
      });
      return { enqueued: true };
    },

    async drain() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
