/** The SQS FIFO queue sends exactly the SendMessage input the worker and SQS expect. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createSqsQueue, sqsFifoId } from "../../../src/adapters/queue/sqs-queue.js";
import { parseJobMessage } from "../../../src/adapters/queue/parse-job-message.js";
import { checkJob } from "./fixtures.js";

const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/meshplan-jobs.fifo";

/** An SQSClient whose `send` records commands instead of calling AWS. */
function recordingClient(answer: () => Promise<unknown> = async () => ({ MessageId: "m-1" })) {
  const client = new SQSClient({ region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
  const sent: unknown[] = [];
  client.send = (async (command: unknown) => {
    sent.push(command);
    return answer();
  }) as SQSClient["send"];
  return { client, sent };
}

describe("createSqsQueue", () => {
  it("sends the job as the message body, the delivery id for deduplication and the repository as group", async () => {
    const { client, sent } = recordingClient();
    const queue = createSqsQueue(client, queueUrl);
    const job = checkJob(42, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    assert.deepEqual(await queue.enqueue(job, { deduplicationId: job.deliveryId, groupId: "shop/mesh" }), { enqueued: true });
    assert.equal(sent.length, 1);
    const command = sent[0];
    assert.ok(command instanceof SendMessageCommand);
    assert.deepEqual(command.input, {
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(job),
      MessageDeduplicationId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      MessageGroupId: "shop/mesh",
    });
    assert.deepEqual(parseJobMessage(command.input.MessageBody!), job, "the worker reads back the same job");
  });

  it("reports a redelivery as enqueued: SQS drops the duplicate itself", async () => {
    const { client, sent } = recordingClient();
    const queue = createSqsQueue(client, queueUrl);
    const options = { deduplicationId: "d-1", groupId: "shop/mesh" };
    assert.equal((await queue.enqueue(checkJob(1), options)).enqueued, true);
    assert.equal((await queue.enqueue(checkJob(1), options)).enqueued, true);
    assert.equal(sent.length, 2);
  });

  it("fails the enqueue when SQS refuses the message", async () => {
    const refusal = Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" });
    const { client } = recordingClient(async () => {
      throw refusal;
    });
    await assert.rejects(createSqsQueue(client, queueUrl).enqueue(checkJob(1), { deduplicationId: "d-1", groupId: "shop/mesh" }), refusal);
  });
});

describe("sqsFifoId", () => {
  it("keeps delivery ids and repository names SQS accepts", () => {
    assert.equal(sqsFifoId("shop/mesh:rollout"), "shop/mesh:rollout");
  });
  it("hashes a name longer than SQS's 128 characters, the same way each time", () => {
    const long = `${"o".repeat(39)}/${"r".repeat(100)}:rollout`;
    assert.match(sqsFifoId(long), /^[0-9a-f]{64}$/);
    assert.equal(sqsFifoId(long), sqsFifoId(long));
    assert.notEqual(sqsFifoId(long), sqsFifoId(long.replace(":rollout", "")));
  });
});
