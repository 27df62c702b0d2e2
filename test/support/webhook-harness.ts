/** GitHub deliveries end to end: the webhook app in front of a job harness, signed as GitHub signs them. */
import { sign } from "@octokit/webhooks-methods";
import { createWebhookApp } from "../../src/server/webhook-app.js";
import { installationId } from "./github-double/index.js";
import { jobHarness, quietLogger, type JobHarness, type JobHarnessOptions } from "./job-harness.js";

const secret = "e2e-webhook-secret";

export interface WebhookResponse {
  status: number;
  body: { delivery?: string; action: string; enqueued: boolean; reason?: string };
}

export interface WebhookHarness extends JobHarness {
  deliver(event: string, delivery: string, payload: object): Promise<WebhookResponse>;
}

export function webhookHarness(options: JobHarnessOptions): WebhookHarness {
  const harness = jobHarness(options);
  const app = createWebhookApp({ secret, queue: harness.queue, logger: quietLogger });
  return {
    ...harness,
    async deliver(event, delivery, payload) {
      const body = JSON.stringify(payload);
      const res = await app.request("/webhooks/github", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": delivery,
          "x-hub-signature-256": await sign(secret, body),
        },
        body,
      });
      return { status: res.status, body: (await res.json()) as WebhookResponse["body"] };
    },
  };
}

/** Addresses an example delivery to acme/mesh, from the installation the GitHub double knows. */
export function toAcmeMesh(payload: Record<string, any>): Record<string, any> {
  payload.installation = { id: installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  payload.repository.full_name = "acme/mesh";
  payload.repository.name = "mesh";
  payload.repository.owner.login = "acme";
  return payload;
}
