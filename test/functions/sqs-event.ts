/** SQS events as Lambda delivers them from a FIFO queue. */
import type { SQSEvent, SQSRecord } from "aws-lambda";

export function sqsRecord(messageId: string, body: string, groupId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1764000000000",
      SenderId: "AROAEXAMPLE:meshplan-webhook",
      ApproximateFirstReceiveTimestamp: "1764000000100",
      SequenceNumber: "18849496460467696128",
      MessageGroupId: groupId,
      MessageDeduplicationId: messageId,
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:meshplan-jobs.fifo",
    awsRegion: "eu-west-1",
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
