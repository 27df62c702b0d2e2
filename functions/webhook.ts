/**
 * Webhook Lambda behind an API Gateway HTTP API (payload format 2.0): the
 * webhook app through hono's AWS Lambda adapter, queuing jobs on SQS FIFO.
 *
 * Configuration: GITHUB_WEBHOOK_SECRET (or a Secrets Manager ARN),
 * MESHPLAN_QUEUE_URL, the URL of the FIFO job queue, and optionally
 * GITHUB_APP_ID (numeric) to ignore re-runs of other apps' check suites.
 * This function needs no GitHub App private key: it only verifies and queues.
 */
import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { createJsonLogger } from "../src/adapters/log/json-logger.js";
import { ConfigurationError, githubWebhookSecret } from "../src/adapters/secrets/github-app-credentials.js";
import { createWebhookApp, type WebhookAppDeps } from "../src/server/webhook-app.js";

export function createWebhookHandler(deps: WebhookAppDeps) {
  return handle(createWebhookApp(deps));
}

type WebhookHandler = ReturnType<typeof createWebhookHandler>;

// Built on the first invocation and kept for warm ones; importing the module reads no configuration.
let production: Promise<WebhookHandler> | undefined;

async function productionHandler(env: NodeJS.ProcessEnv): Promise<WebhookHandler> {
  const queueUrl = env.MESHPLAN_QUEUE_URL?.trim();
  if (!queueUrl) throw new ConfigurationError("MESHPLAN_QUEUE_URL is not set: the URL of the SQS FIFO job queue", "MESHPLAN_QUEUE_URL");
  const appId = /^\d+$/.test(env.GITHUB_APP_ID?.trim() ?? "") ? Number(env.GITHUB_APP_ID) : undefined;
  // The AWS SDK loads on the first invocation, not at import: a cold start pays for it once, tests never.
  const [{ SQSClient }, { createSqsQueue }, { SecretsManagerClient }, { secretsManagerReader }] = await Promise.all([
    import("@aws-sdk/client-sqs"),
    import("../src/adapters/queue/sqs-queue.js"),
    import("@aws-sdk/client-secrets-manager"),
    import("../src/adapters/secrets/secrets-manager.js"),
  ]);
  return createWebhookHandler({
    secret: await githubWebhookSecret(env, { readSecret: secretsManagerReader(new SecretsManagerClient({})) }),
    appId,
    queue: createSqsQueue(new SQSClient({}), queueUrl),
    logger: createJsonLogger(),
  });
}

/** hono's own event types: the same API Gateway v2 event as @types/aws-lambda's, with `body: string | null`. */
export async function handler(event: LambdaEvent, context?: LambdaContext) {
  production ??= productionHandler(process.env).catch((error: unknown) => {
    production = undefined;
    throw error;
  });
  return (await production)(event, context);
}
