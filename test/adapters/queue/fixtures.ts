/** Jobs as the webhook app queues them, for the queue adapters' tests. */
import type { PullRequestCheckJob, RolloutJob } from "../../../src/jobs/ports.js";

export const checkJob = (pullNumber: number, deliveryId = `delivery-${pullNumber}`): PullRequestCheckJob => ({
  kind: "pr-check",
  deliveryId,
  installationId: 1,
  repo: { owner: "shop", repo: "mesh" },
  pullNumber,
  baseSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
  headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
  baseRef: "main",
  headRef: "canary-20",
  headRepoFullName: "shop/mesh",
  rerequested: false,
});

export const rolloutJob = (deliveryId = "delivery-rollout"): RolloutJob => ({
  kind: "rollout",
  deliveryId,
  installationId: 1,
  repo: { owner: "shop", repo: "mesh" },
  sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
  ref: "refs/heads/main",
});
