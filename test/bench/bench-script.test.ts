/**
 * `npm run bench` end to end on a tiny repository: it must run, print its
 * tables and write results.json with every figure the benchmark promises.
 * Nothing here judges a time; the figures only have to be there and agree
 * with each other.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKER_HEAP_MIB } from "../../infra/lib/worker-memory.js";

describe("npm run bench", () => {
  it("measures a 20-service repository and writes every figure to results.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshplan-bench-test-"));
    try {
      const out = join(dir, "results.json");
      const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench.ts", "--sizes", "20", "--deliveries", "20", "--out", out], {
        encoding: "utf8",
        timeout: 240_000,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^\| services \| files \|/m);
      assert.match(run.stdout, /worker's heap limit \(--max-old-space-size=\d+\)/);
      assert.match(run.stderr, /bench: N = 20: /, "progress goes to stderr");

      const results = JSON.parse(readFileSync(out, "utf8"));
      assert.equal(results.webhook.accepted, 20);
      const [size] = results.results;
      assert.equal(results.results.length, 1);
      assert.equal(size.services, 20);
      for (const key of ["parseFloorMs", "planMs", "peakRssMb", "floorPeakRssMb", "resources", "hosts"]) {
        assert.ok(size[key] > 0, `${key} = ${size[key]}`);
      }
      assert.equal(size.ratio, Math.round((size.planMs / size.parseFloorMs) * 100) / 100);
      assert.ok(size.githubRequestsPerCheck > 0 && size.githubRequestsPerCheck <= 10, `${size.githubRequestsPerCheck} GitHub requests`);
      assert.ok(size.webhookAckP99Ms >= size.webhookAckP50Ms);
      assert.equal(size.workerHeap.heapMiB, WORKER_HEAP_MIB);
      assert.ok(size.workerHeap.planMs > 0 && size.workerHeap.peakRssMb > 0, JSON.stringify(size.workerHeap));
      assert.equal(size.bundles.status, "measured");
      for (const name of ["webhook", "worker", "drift"]) {
        const b = size.bundles.functions[name];
        assert.ok(b.bytes >= b.entryBytes && b.entryBytes > 0 && b.importMs > 0, `${name}: ${JSON.stringify(b)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
