/** The worker reads jobs back from queue messages, and refuses anything else with a reason. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { JobMessageError, parseJobMessage } from "../../../src/adapters/queue/parse-job-message.js";
import { checkJob, rolloutJob } from "./fixtures.js";

describe("parseJobMessage", () => {
  it("reads back a PR check job and a rollout job", () => {
    assert.deepEqual(parseJobMessage(JSON.stringify(checkJob(7))), checkJob(7));
    assert.deepEqual(parseJobMessage(JSON.stringify(rolloutJob())), rolloutJob());
  });
  it("refuses a body that is not JSON", () => {
    assert.throws(() => parseJobMessage("{kind: pr-check"), (e: unknown) => e instanceof JobMessageError && /not JSON/.test(e.message));
  });
  it("names the field a job lacks", () => {
    const { installationId: _, ...withoutInstallation } = checkJob(7);
    assert.throws(() => parseJobMessage(JSON.stringify(withoutInstallation)), /not a meshplan job: installationId: /);
  });
  it("refuses an unknown kind of job", () => {
    assert.throws(() => parseJobMessage(JSON.stringify({ ...rolloutJob(), kind: "deploy" })), /kind/);
  });
  it("reads back the per-cluster rollout and the drift jobs", () => {
    const { sha, ref, ...common } = rolloutJob();
    const jobs = [
      { ...common, kind: "cluster-rollout", sha, ref, cluster: "prod" },
      { ...common, kind: "drift" },
      { ...common, kind: "cluster-drift", sha, ref: "main", cluster: "prod" },
    ];
    for (const job of jobs) assert.deepEqual(parseJobMessage(JSON.stringify(job)), job);
  });
  it("a per-cluster job without its cluster is refused", () => {
    const { sha, ref, ...common } = rolloutJob();
    assert.throws(() => parseJobMessage(JSON.stringify({ ...common, kind: "cluster-rollout", sha, ref })), /cluster/);
  });
});
