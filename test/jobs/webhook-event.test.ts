/** Which webhook deliveries become jobs, on GitHub's own example payloads and edited copies of them. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classifyWebhook, type WebhookDecision } from "../../src/jobs/webhook-event.js";
import type { Job } from "../../src/jobs/ports.js";
import { webhookExample, type Payload } from "../server/webhook-examples.js";

const delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
const options = { checkName: "meshplan" };
const classify = (event: string, payload: unknown) => classifyWebhook(event, delivery, payload, options);

const pullRequest = (action: string, pick: (p: Payload) => boolean = () => true) =>
  webhookExample("pull_request", (p) => p.action === action && p.installation !== undefined && pick(p));

function onlyJob(decision: WebhookDecision): { job: Job; deduplicationId: string; groupId: string } {
  assert.equal(decision.action, "enqueue", "reason" in decision ? decision.reason : "");
  if (decision.action !== "enqueue") throw new Error("unreachable");
  assert.equal(decision.jobs.length, 1);
  const [{ job, options }] = decision.jobs;
  return { job, ...options };
}

function ignoredBecause(decision: WebhookDecision, reason: RegExp): void {
  assert.equal(decision.action, "ignore");
  if (decision.action === "ignore") assert.match(decision.reason, reason);
}

describe("classifyWebhook: set-up events", () => {
  it("acknowledges a ping", () => {
    const d = classify("ping", webhookExample("ping"));
    assert.equal(d.action, "ack");
  });
  it("acknowledges installing the app and adding repositories to it", () => {
    assert.deepEqual(classify("installation", webhookExample("installation", (p) => p.action === "created")), {
      action: "ack",
      reason: "installation created: nothing to prepare",
    });
    assert.equal(classify("installation_repositories", webhookExample("installation_repositories")).action, "ack");
  });
  it("ignores an event meshplan does not act on, naming it", () => {
    ignoredBecause(classify("issues", { action: "opened" }), /"issues"/);
  });
});

describe("classifyWebhook: pull requests", () => {
  it("checks an opened pull request: one job with the pull request's revisions, grouped by repository", () => {
    const payload = pullRequest("opened");
    const { job, deduplicationId, groupId } = onlyJob(classify("pull_request", payload));
    assert.deepEqual(job, {
      kind: "pr-check",
      deliveryId: delivery,
      installationId: 1,
      repo: { owner: "Codertocat", repo: "Hello-World" },
      pullNumber: 2,
      baseSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
      baseRef: "master",
      headRef: "changes",
      headRepoFullName: "Codertocat/Hello-World",
      rerequested: false,
    });
    assert.equal(deduplicationId, delivery);
    assert.equal(groupId, "Codertocat/Hello-World");
  });

  for (const action of ["synchronize", "reopened", "ready_for_review"]) {
    it(`checks a pull request on ${action}`, () => {
      const { job } = onlyJob(classify("pull_request", pullRequest(action)));
      assert.equal(job.kind, "pr-check");
    });
  }

  it("ignores every other pull_request action GitHub sends", () => {
    const others = ["assigned", "closed", "converted_to_draft", "labeled", "locked", "review_requested", "unassigned", "unlabeled", "unlocked"];
    for (const action of others) ignoredBecause(classify("pull_request", pullRequest(action)), new RegExp(`pull_request ${action} `));
  });

  it("waits for a draft to be marked ready for review", () => {
    for (const action of ["opened", "synchronize", "reopened"]) {
      const draft = pullRequest(action);
      draft.pull_request.draft = true;
      ignoredBecause(classify("pull_request", draft), /#2 is a draft: it is checked when marked ready for review/);
    }
    assert.equal(classify("pull_request", pullRequest("ready_for_review")).action, "enqueue");
  });

  it("checks a pull request from a fork in the base repository, naming the fork as head repository", () => {
    const payload = pullRequest("opened");
    payload.pull_request.head.repo.full_name = "octocat-fork/Hello-World";
    payload.pull_request.head.label = "octocat-fork:changes";
    const { job, groupId } = onlyJob(classify("pull_request", payload));
    assert.equal(job.kind === "pr-check" && job.headRepoFullName, "octocat-fork/Hello-World");
    assert.deepEqual(job.repo, { owner: "Codertocat", repo: "Hello-World" });
    assert.equal(groupId, "Codertocat/Hello-World");
  });

  it("ignores a pull request whose fork was deleted, saying so", () => {
    const payload = pullRequest("reopened");
    payload.pull_request.head.repo = null;
    ignoredBecause(classify("pull_request", payload), /fork .*#2 .*was deleted/);
  });

  it("ignores a delivery that names no installation (not sent to a GitHub App)", () => {
    const payload = webhookExample("pull_request", (p) => p.action === "opened" && p.installation === undefined);
    ignoredBecause(classify("pull_request", payload), /installation: expected the installation of a GitHub App/);
  });

  it("ignores a payload of the wrong shape with the field at fault, never throwing", () => {
    const payload = pullRequest("synchronize");
    payload.pull_request.head.sha = 42;
    ignoredBecause(classify("pull_request", payload), /pull_request synchronize payload lacks what meshplan reads: pull_request\.head\.sha: /);
    for (const junk of [null, "opened", [], 7, { action: 3 }]) assert.equal(classify("pull_request", junk).action, "ignore");
  });
});

describe("classifyWebhook: re-runs from the Checks tab", () => {
  const checkRunRerequested = () => {
    const payload = webhookExample("check_run", (p) => p.action === "created" && p.check_run.pull_requests.length === 1);
    payload.action = "rerequested";
    payload.check_run.name = "meshplan";
    payload.installation = { id: 77 };
    return payload;
  };

  it("re-checks each pull request of a re-run meshplan check run, on the check run's commit", () => {
    const payload = checkRunRerequested();
    const { job, deduplicationId, groupId } = onlyJob(classify("check_run", payload));
    assert.deepEqual(job, {
      kind: "pr-check",
      deliveryId: delivery,
      installationId: 77,
      repo: { owner: "Codertocat", repo: "Hello-World" },
      pullNumber: 2,
      baseSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      headSha: payload.check_run.head_sha,
      baseRef: "master",
      headRef: "changes",
      headRepoFullName: "Codertocat/Hello-World",
      rerequested: true,
    });
    assert.equal(deduplicationId, delivery);
    assert.equal(groupId, "Codertocat/Hello-World");
  });

  it("leaves other apps' check runs alone", () => {
    const payload = checkRunRerequested();
    payload.check_run.name = "Octocoders-linter";
    ignoredBecause(classify("check_run", payload), /"Octocoders-linter" is not the meshplan check/);
  });

  it("ignores a re-run that names no pull request (GitHub's example, as for a fork's branch)", () => {
    const payload = webhookExample("check_run", (p) => p.action === "rerequested");
    payload.check_run.name = "meshplan";
    ignoredBecause(classify("check_run", payload), /names no pull request of github\/hello-world/);
  });

  it("ignores check runs being created or completed", () => {
    for (const action of ["created", "completed"]) {
      ignoredBecause(classify("check_run", webhookExample("check_run", (p) => p.action === action)), new RegExp(`check_run ${action}`));
    }
  });

  it("re-checks the pull request of a re-requested check suite", () => {
    const payload = webhookExample("check_suite", (p) => p.action === "rerequested");
    const { job } = onlyJob(classify("check_suite", payload));
    assert.equal(job.kind, "pr-check");
    if (job.kind !== "pr-check") return;
    assert.equal(job.installationId, 957387);
    assert.equal(job.pullNumber, 2);
    assert.equal(job.headSha, payload.check_suite.head_sha);
    assert.equal(job.rerequested, true);
  });

  it("queues one job per pull request sharing the commit, each with its own deduplication id", () => {
    const payload = webhookExample("check_suite", (p) => p.action === "rerequested");
    const second = structuredClone(payload.check_suite.pull_requests[0]);
    second.number = 9;
    second.base.ref = "release";
    payload.check_suite.pull_requests.push(second);
    const d = classify("check_suite", payload);
    assert.equal(d.action, "enqueue");
    if (d.action !== "enqueue") return;
    assert.deepEqual(
      d.jobs.map((j) => [j.job.kind === "pr-check" && j.job.pullNumber, j.options.deduplicationId]),
      [
        [2, `${delivery}:2`],
        [9, `${delivery}:9`],
      ],
    );
  });

  it("names a fork's head repository from its API URL", () => {
    const payload = webhookExample("check_suite", (p) => p.action === "rerequested");
    const pr = payload.check_suite.pull_requests[0];
    pr.head.repo = { id: 5, url: "https://github.example.com/api/v3/repos/octocat-fork/Hello-World", name: "Hello-World" };
    const { job } = onlyJob(classify("check_suite", payload));
    assert.equal(job.kind === "pr-check" && job.headRepoFullName, "octocat-fork/Hello-World");
  });

  it("does not check pull requests of another repository that share the commit", () => {
    const payload = webhookExample("check_suite", (p) => p.action === "rerequested");
    payload.check_suite.pull_requests[0].base.repo.id = 1;
    ignoredBecause(classify("check_suite", payload), /names no pull request of Codertocat\/Hello-World/);
  });

  it("with the app's id, re-runs only its own suites and check runs, not GitHub Actions' (app 29310)", () => {
    const suite = webhookExample("check_suite", (p) => p.action === "rerequested");
    ignoredBecause(classifyWebhook("check_suite", delivery, suite, { checkName: "meshplan", appId: 4242 }), /check suite of app 29310, not meshplan's app 4242/);
    assert.equal(classifyWebhook("check_suite", delivery, suite, { checkName: "meshplan", appId: 29310 }).action, "enqueue");
    const run = checkRunRerequested();
    ignoredBecause(classifyWebhook("check_run", delivery, run, { checkName: "meshplan", appId: 4242 }), /not the meshplan check/);
    assert.equal(classifyWebhook("check_run", delivery, run, { checkName: "meshplan", appId: 29310 }).action, "enqueue");
  });

  it("ignores a check suite requested for a push (pull requests are checked on their own events)", () => {
    ignoredBecause(classify("check_suite", webhookExample("check_suite", (p) => p.action === "requested")), /check_suite requested/);
  });
});

describe("classifyWebhook: pushes", () => {
  const pushToDefault = () => webhookExample("push", (p) => p.ref === "refs/heads/master" && p.installation !== undefined);

  it("rolls out a push to the default branch, grouped apart from the repository's checks", () => {
    const payload = pushToDefault();
    const { job, deduplicationId, groupId } = onlyJob(classify("push", payload));
    assert.deepEqual(job, {
      kind: "rollout",
      deliveryId: delivery,
      installationId: 1,
      repo: { owner: "Codertocat", repo: "Hello-World" },
      sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      ref: "refs/heads/master",
    });
    assert.equal(deduplicationId, delivery);
    assert.equal(groupId, "Codertocat/Hello-World:rollout");
  });

  it("follows the repository's default branch, whatever its name", () => {
    const payload = pushToDefault();
    payload.repository.default_branch = "main";
    ignoredBecause(classify("push", payload), /push to refs\/heads\/master: only the default branch main is rolled out/);
    payload.ref = "refs/heads/main";
    assert.equal(onlyJob(classify("push", payload)).job.kind, "rollout");
  });

  it("ignores a push to another branch", () => {
    const payload = pushToDefault();
    payload.ref = "refs/heads/feature/canary";
    ignoredBecause(classify("push", payload), /refs\/heads\/feature\/canary/);
  });

  it("ignores a pushed tag", () => {
    const payload = webhookExample("push", (p) => p.ref.startsWith("refs/tags/") && p.installation !== undefined);
    ignoredBecause(classify("push", payload), /push to tag simple-tag/);
  });

  it("does not roll out the deletion of the default branch", () => {
    const payload = pushToDefault();
    payload.deleted = true;
    payload.after = "0000000000000000000000000000000000000000";
    ignoredBecause(classify("push", payload), /deleted refs\/heads\/master/);
  });
});
