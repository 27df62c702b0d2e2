/**
 * Reads a job back from a queue message body (the worker's side of
 * `createSqsQueue`). Messages are checked, not trusted: a body that is not a
 * job fails with a `JobMessageError` naming what is wrong, for that message only.
 */
import { z } from "zod";
import type { Job } from "../../jobs/ports.js";

export class JobMessageError extends Error {
  override name = "JobMessageError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const repoRef = z.object({ owner: z.string().min(1), repo: z.string().min(1) });
const common = { deliveryId: z.string().min(1), installationId: z.number().int().positive(), repo: repoRef };

const jobSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("pr-check"),
    ...common,
    pullNumber: z.number().int().positive(),
    baseSha: z.string().min(1),
    headSha: z.string().min(1),
    baseRef: z.string(),
    headRef: z.string(),
    headRepoFullName: z.string().min(1),
    rerequested: z.boolean(),
  }),
  z.object({ kind: z.literal("rollout"), ...common, sha: z.string().min(1), ref: z.string().min(1) }),
  z.object({ kind: z.literal("cluster-rollout"), ...common, sha: z.string().min(1), ref: z.string().min(1), cluster: z.string().min(1) }),
  z.object({ kind: z.literal("drift"), ...common }),
  z.object({ kind: z.literal("cluster-drift"), ...common, sha: z.string().min(1), ref: z.string().min(1), cluster: z.string().min(1) }),
]);

// The schema and the Job contract must describe the same thing, in both directions.
type Parsed = z.infer<typeof jobSchema>;
const sameShape: [Parsed extends Job ? true : false, Job extends Parsed ? true : false] = [true, true];
void sameShape;

export function parseJobMessage(body: string): Job {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new JobMessageError(`message body is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = jobSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    throw new JobMessageError(`message body is not a meshplan job: ${issues}`, { cause: parsed.error });
  }
  return parsed.data;
}
