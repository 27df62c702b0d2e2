/**
 * The job queue on AWS: an SQS FIFO queue (the worker Lambda consumes it).
 *
 * SQS FIFO drops a message whose MessageDeduplicationId it saw in the last
 * 5 minutes, and does so silently: SendMessage succeeds either way. So this
 * adapter always answers `enqueued: true`, and deduplication of a redelivered
 * webhook happens inside SQS (and, past the window, in the job itself, which
 * finds the check run its delivery created).
 */
import { createHash } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { EnqueueOptions, Job, JobQueue } from "../../jobs/ports.js";

export function createSqsQueue(client: SQSClient, queueUrl: string): JobQueue {
  return {
    async enqueue(job: Job, { deduplicationId, groupId }: EnqueueOptions) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(job),
          MessageDeduplicationId: sqsFifoId(deduplicationId),
          MessageGroupId: sqsFifoId(groupId),
        }),
      );
      return { enqueued: true };
    },
  };
}

/**
 * SQS: MessageGroupId and MessageDeduplicationId hold at most 128 characters,
 * alphanumeric or punctuation. Delivery ids and most repository names already
 * qualify; a longer name (owner 39 + repo 100 characters) is replaced by its
 * SHA-256, which keeps one group per repository.
 */
export function sqsFifoId(id: string): string {
  if (id.length > 0 && id.length <= 128 && /^[!-~]+$/.test(id)) return id;
  return createHash("sha256").update(id).digest("hex");
}
