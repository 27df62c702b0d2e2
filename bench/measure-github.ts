/**
 * GitHub API requests one PR check makes, end to end: a signed
 * `pull_request` delivery into the webhook app, the in-process queue, the PR
 * check job, meshplan's GitHub client and port, against the GitHub API
 * double (test/support/github-double), as test/e2e/pr-check.test.ts drives
 * it. Counted as GitHub rate-limits them: documented API operations, the
 * archive download from codeload excluded.
 *
 * `node --import tsx bench/measure-github.ts <services>` prints one JSON line.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sign } from "@octokit/webhooks-methods";
import { createGitHubPort } from "../src/adapters/github/github-port.js";
import { createInProcessQueue, type InProcessQueue } from "../src/adapters/queue/in-process-queue.js";
import { readDefaultPack } from "../src/cli/default-pack.js";
import { runJob, type JobDeps } from "../src/jobs/run-job.js";
import { createWebhookApp } from "../src/server/webhook-app.js";
import { githubFixture, installationId } from "../test/support/github-double/github-fixture.js";
import { webhookExample } from "../test/server/webhook-examples.js";
import { generateMeshRepo, pullRequestOf } from "./generate-mesh.js";

export interface GitHubMeasurement {
  services: number;
  githubRequestsPerCheck: number;
  /** Operation ids in the order they were sent, for the README's explanation. */
  operations: string[];
  conclusion: string | null;
  contractViolations: number;
}

const secret = "bench-webhook-secret";
const quiet = { info() {}, warn() {}, error() {} };

function asRecord(files: readonly { path: string; content: string | Uint8Array }[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, f.content as string]));
}

export async function measureGitHub(services: number): Promise<GitHubMeasurement> {
  const gh = githubFixture();
  const base = generateMeshRepo(services);
  const head = pullRequestOf(base.files);
  const pr = { number: 42, base: "a".repeat(40), head: "b".repeat(40) };
  gh.double.addCommit("acme", "mesh", pr.base, asRecord(base.files));
  gh.double.addCommit("acme", "mesh", pr.head, asRecord(head.files), { parents: [pr.base] });
  gh.double.addPullRequest("acme", "mesh", { number: pr.number, baseSha: pr.base, headSha: pr.head, baseRef: "main", headRef: "canary" });

  const defaultPack = await readDefaultPack();
  let queue: InProcessQueue;
  const deps: JobDeps = {
    github: () => createGitHubPort(gh.octokit),
    clock: { now: () => new Date() },
    logger: quiet,
    defaultPack,
    queue: { enqueue: (job, options) => queue.enqueue(job, options) },
    connectCluster: (cluster) => Promise.reject(new Error(`the benchmark repository names no clusters, yet ${cluster.name} was asked for`)),
    metrics: { record() {} },
  };
  queue = createInProcessQueue(async (job) => void (await runJob(job, deps)), { logger: quiet });
  const app = createWebhookApp({ secret, queue, logger: quiet });

  const payload = webhookExample("pull_request", (x) => x.action === "opened");
  payload.number = pr.number;
  payload.installation = { id: installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  payload.repository.full_name = "acme/mesh";
  payload.repository.name = "mesh";
  payload.repository.owner.login = "acme";
  Object.assign(payload.pull_request, { number: pr.number, draft: false });
  Object.assign(payload.pull_request.base, { ref: "main", sha: pr.base });
  Object.assign(payload.pull_request.head, { ref: "canary", sha: pr.head });
  payload.pull_request.base.repo.full_name = "acme/mesh";
  payload.pull_request.head.repo.full_name = "acme/mesh";
  const body = JSON.stringify(payload);

  gh.double.clearLog();
  const res = await app.request("/webhooks/github", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": "bench-delivery-1",
      "x-hub-signature-256": await sign(secret, body),
    },
    body,
  });
  if (res.status !== 202) throw new Error(`the webhook app answered ${res.status}: ${await res.text()}`);
  await queue.drain();

  const requests = gh.double.apiRequests();
  const run = gh.double.checkRuns("acme", "mesh")[0];
  return {
    services,
    githubRequestsPerCheck: requests.length,
    operations: requests.map((r) => r.operationId ?? `${r.method} ${r.path}`),
    conclusion: run?.conclusion ?? null,
    contractViolations: gh.double.violations.length,
  };
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const services = Number(process.argv[2]);
  if (!Number.isInteger(services) || services <= 0) {
    console.error("usage: node --import tsx bench/measure-github.ts <services>");
    process.exit(2);
  }
  console.log(JSON.stringify(await measureGitHub(services)));
}
