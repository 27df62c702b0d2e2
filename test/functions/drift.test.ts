/**
 * The drift Lambda's wiring: one `drift` job per watched repository per schedule event, the
 * installation found through the real GitHub client against the GitHub double; the
 * MESHPLAN_DRIFT_REPOSITORIES setting; and the metrics a drift check becomes (CloudWatch
 * embedded metric format through Powertools, or a log line).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { createDriftHandler, parseRepositories } from "../../functions/drift.js";
import { createGitHubClient } from "../../src/adapters/github/github-client.js";
import { emfDriftMetrics, logDriftMetrics, METRICS_NAMESPACE } from "../../src/adapters/metrics/drift-metrics.js";
import { ConfigurationError } from "../../src/adapters/secrets/github-app-credentials.js";
import type { DriftMeasurement } from "../../src/jobs/ports.js";
import { appId, appKeyPair, githubFixture, installationId } from "../support/github-double/index.js";
import { recordingQueue } from "../support/job-harness.js";

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, logger: { info: at("info"), warn: at("warn"), error: at("error") } };
}

function setup(repositories: string) {
  const gh = githubFixture();
  gh.double.addRepo("acme", "ops");
  gh.double.addRepo("globex", "mesh");
  const client = createGitHubClient({ appId, privateKey: appKeyPair().privateKey, baseUrl: gh.double.baseUrl, fetch: gh.double.fetch });
  const { offered, queue } = recordingQueue();
  const { lines, logger } = recordingLogger();
  const handler = createDriftHandler({ repositories: parseRepositories(repositories), installationFor: (repo) => client.installationFor(repo), queue, logger });
  return { gh, offered, lines, handler };
}

const event = (id: string) => ({ id, time: "2026-11-24T06:00:00Z" });

describe("createDriftHandler", () => {
  it("queues one drift job per repository, deduplicated by the schedule event and the repository", async () => {
    const { gh, offered, handler } = setup("acme/mesh, acme/ops");
    const result = await handler(event("evt-1"));
    assert.deepEqual(result, { queued: ["acme/mesh", "acme/ops"], skipped: [] });
    assert.deepEqual(
      offered,
      ["mesh", "ops"].map((name) => ({
        job: { kind: "drift", deliveryId: `evt-1:acme/${name}`, installationId, repo: { owner: "acme", repo: name } },
        options: { deduplicationId: `evt-1:acme/${name}`, groupId: `acme/${name}:drift` },
        enqueued: true,
      })),
    );
    assert.deepEqual(gh.double.violations, []);
  });

  it("skips a repository the app is not installed on, with the reason, and still queues the others", async () => {
    const { gh, offered, lines, handler } = setup("acme/mesh,globex/mesh,acme/ops");
    const result = await handler(event("evt-1"));
    assert.deepEqual(result.queued, ["acme/mesh", "acme/ops"]);
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]!.repository, "globex/mesh");
    assert.match(result.skipped[0]!.reason, /not installed on globex\/mesh/);
    assert.deepEqual(offered.map((o) => o.job.kind === "drift" && `${o.job.repo.owner}/${o.job.repo.repo}`), ["acme/mesh", "acme/ops"]);
    const error = lines.find((l) => l.level === "error");
    assert.equal(error?.message, "could not queue the drift check");
    assert.equal(error?.fields?.repository, "globex/mesh");
    assert.deepEqual(gh.double.violations, []);
  });

  it("a redelivered schedule event queues nothing new; the next event queues again", async () => {
    const { offered, handler } = setup("acme/mesh,acme/ops");
    await handler(event("evt-1"));
    const again = await handler(event("evt-1"));
    assert.deepEqual(again.queued, []);
    assert.deepEqual(again.skipped, [
      { repository: "acme/mesh", reason: "already queued for this schedule event" },
      { repository: "acme/ops", reason: "already queued for this schedule event" },
    ]);
    const next = await handler(event("evt-2"));
    assert.deepEqual(next.queued, ["acme/mesh", "acme/ops"]);
    assert.deepEqual(offered.map((o) => o.enqueued), [true, true, false, false, true, true]);
  });
});

describe("parseRepositories", () => {
  it("reads comma-separated owner/repo, ignoring blanks and spaces", () => {
    assert.deepEqual(parseRepositories(" acme/mesh ,, globex/ops.config "), [
      { owner: "acme", repo: "mesh" },
      { owner: "globex", repo: "ops.config" },
    ]);
  });

  const bad: [string | undefined, RegExp][] = [
    [undefined, /MESHPLAN_DRIFT_REPOSITORIES is not set/],
    [" , ", /MESHPLAN_DRIFT_REPOSITORIES is not set/],
    ["acme/mesh,acme", /"acme" is not owner\/repo/],
    ["acme/mesh,https://github.com/acme/ops", /"https:\/\/github\.com\/acme\/ops" is not owner\/repo/],
    ["acme/mesh/extra", /"acme\/mesh\/extra" is not owner\/repo/],
  ];
  for (const [value, message] of bad) {
    it(`refuses ${JSON.stringify(value)}, naming the entry`, () => {
      assert.throws(
        () => parseRepositories(value),
        (err: unknown) => err instanceof ConfigurationError && err.variable === "MESHPLAN_DRIFT_REPOSITORIES" && message.test(err.message),
      );
    });
  }
});

const drifted: DriftMeasurement = { cluster: "prod", status: "drifted", driftedObjects: 1, driftedFields: 2, missing: 3, unexpected: 4, corrected: true };
const unreachable: DriftMeasurement = { cluster: "staging", status: "unreachable", driftedObjects: 0, driftedFields: 0, missing: 0, unexpected: 0, corrected: false };

/** What Powertools writes to stdout while `record` runs: one EMF document per line. */
function emitted(record: () => void): Record<string, any>[] {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  try {
    record();
  } finally {
    process.stdout.write = write;
  }
  return out.join("").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

describe("emfDriftMetrics", () => {
  it("writes one EMF document per check: namespace meshplan, dimension cluster, one count per metric", () => {
    const metrics = emfDriftMetrics();
    const [doc, ...rest] = emitted(() => metrics.record(drifted));
    assert.deepEqual(rest, []);
    assert.ok(doc);
    const [definition] = doc._aws.CloudWatchMetrics;
    assert.equal(definition.Namespace, "meshplan");
    assert.equal(METRICS_NAMESPACE, "meshplan");
    assert.ok(definition.Dimensions.some((set: string[]) => set.includes("cluster")), JSON.stringify(definition.Dimensions));
    assert.equal(doc.cluster, "prod");
    assert.deepEqual(
      definition.Metrics.map((m: { Name: string; Unit: string }) => [m.Name, m.Unit]),
      ["DriftedObjects", "DriftedFields", "MissingObjects", "UnexpectedObjects", "DriftCorrected", "CheckFailed"].map((name) => [name, "Count"]),
    );
    assert.deepEqual(
      { DriftedObjects: doc.DriftedObjects, DriftedFields: doc.DriftedFields, MissingObjects: doc.MissingObjects, UnexpectedObjects: doc.UnexpectedObjects, DriftCorrected: doc.DriftCorrected, CheckFailed: doc.CheckFailed },
      { DriftedObjects: 1, DriftedFields: 2, MissingObjects: 3, UnexpectedObjects: 4, DriftCorrected: 1, CheckFailed: 0 },
    );
    assert.equal(typeof doc._aws.Timestamp, "number");
  });

  it("uses the Metrics instance it is given, and does not carry one cluster's dimension into the next document", () => {
    const metrics = emfDriftMetrics({ metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: "drift-test" }) });
    const docs = emitted(() => {
      metrics.record(drifted);
      metrics.record(unreachable);
    });
    assert.equal(docs.length, 2);
    assert.deepEqual(docs.map((d) => [d.cluster, d.service, d.CheckFailed, d.DriftedFields]), [
      ["prod", "drift-test", 0, 2],
      ["staging", "drift-test", 1, 0],
    ]);
    for (const d of docs) assert.equal(d._aws.CloudWatchMetrics[0].Namespace, "meshplan");
  });
});

describe("logDriftMetrics", () => {
  it("logs one line per check with the cluster, its status and the metric values", () => {
    const { lines, logger } = recordingLogger();
    logDriftMetrics(logger).record(unreachable);
    assert.deepEqual(lines, [
      {
        level: "info",
        message: "drift metrics",
        fields: { cluster: "staging", status: "unreachable", DriftedObjects: 0, DriftedFields: 0, MissingObjects: 0, UnexpectedObjects: 0, DriftCorrected: 0, CheckFailed: 1 },
      },
    ]);
  });
});
