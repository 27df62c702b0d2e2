/**
 * The benchmark (bench/README.md): `npm run bench`, or `npm run bench:quick` for N = 100 only.
 *
 *   node --import tsx scripts/bench.ts [--sizes 100,1000,10000] [--deliveries 500] [--out bench/results.json]
 *
 * Generates each repository once (bench/generate-mesh.ts), writes it to a temporary
 * directory, and measures each figure in a fresh child process, so one size's heap does
 * not count against another's peak RSS. The floor and the plan run from a bundle built as
 * the functions are (scripts/build-functions.ts), in plain Node as the worker runs them:
 * once with the heap V8 sizes for this machine, once with the worker's heap limit
 * (infra/lib/worker-memory.ts). Prints a markdown table and writes the results as JSON.
 * Not part of `npm test`: nothing here asserts a time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateMeshRepo, pullRequestOf, type GeneratedCounts } from "../bench/generate-mesh.js";
import type { GitHubMeasurement } from "../bench/measure-github.js";
import { measureBundles, type BundlesResult } from "../bench/measure-bundles.js";
import type { FloorMeasurement, PlanMeasurement } from "../bench/measure-plan.js";
import type { WebhookMeasurement } from "../bench/measure-webhook.js";
import { writeTreeFile } from "../bench/repo-file.js";
import { WORKER_HEAP_MIB } from "../infra/lib/worker-memory.js";
import { bundleModule } from "./build-functions.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const bench = (file: string) => join(root, "bench", file);

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000" },
    deliveries: { type: "string", default: "500" },
    out: { type: "string", default: join(root, "bench", "results.json") },
  },
});
const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--sizes takes positive integers, got "${values.sizes}"`);
const deliveries = Number(values.deliveries);

/** Runs a bench/ script in a fresh Node process and returns the JSON line it prints. */
function child<T>(script: string, args: readonly string[], flags: readonly string[] = []): T {
  return run<T>([...flags, "--import", "tsx", bench(script), ...args], script);
}

/** Runs a bundled module in a fresh Node process without loaders and returns the JSON line it prints. */
function bundled<T>(file: string, args: readonly string[], flags: readonly string[] = []): T {
  return run<T>([...flags, file, ...args], `${file} ${flags.join(" ")}`);
}

function run<T>(nodeArgs: readonly string[], what: string): T {
  const r = spawnSync(process.execPath, nodeArgs, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status ?? r.signal}`);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as T;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Runs of the floor and of the plan per size; each run is a process of its own. */
function repetitionsFor(services: number): number {
  return services <= 100 ? 5 : 3;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function bundles(): BundlesResult {
  const dir = join(root, "dist", "functions");
  const script = join(root, "scripts", "build-functions.ts");
  if (!existsSync(dir) && existsSync(script)) {
    progress("dist/functions is missing: building the function bundles");
    try {
      execFileSync(process.execPath, ["--import", "tsx", script], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    } catch (error) {
      return { status: "not built", reason: `scripts/build-functions.ts failed: ${(error as Error).message}` };
    }
  }
  return measureBundles(dir);
}

interface SizeResult {
  services: number;
  files: number;
  megabytes: number;
  resources: number;
  hosts: number;
  parseFloorMs: number;
  planMs: number;
  ratio: number;
  peakRssMb: number;
  liveHeapMb: number;
  floorPeakRssMb: number;
  /** The same plan with the worker's V8 heap limit (`--max-old-space-size`). */
  workerHeap: { heapMiB: number; planMs: number; peakRssMb: number } | { heapMiB: number; error: string };
  githubRequestsPerCheck: number | null;
  webhookAckP50Ms: number;
  webhookAckP99Ms: number;
  webhookBurstP50Ms: number;
  webhookBurstP99Ms: number;
  bundles: BundlesResult;
}

const work = mkdtempSync(join(tmpdir(), "meshplan-bench-"));
try {
  const info = machine();
  progress(`${info.cores} × ${info.cpu}, ${info.memoryGb} GB, Node ${info.node}`);

  const trees = new Map<number, { base: string; head: string; counts: GeneratedCounts; changed: number }>();
  for (const n of sizes) {
    const repo = generateMeshRepo(n);
    const pr = pullRequestOf(repo.files);
    const base = join(work, `${n}-base.tree`);
    const head = join(work, `${n}-head.tree`);
    writeTreeFile(base, repo.files);
    writeTreeFile(head, pr.files);
    trees.set(n, { base, head, counts: repo.counts, changed: pr.changed.length });
  }

  // The floor and the plan run bundled, without tsx, as the worker runs the plan; the bundle
  // carries the default policy pack beside it, as the worker's does.
  progress("bundling bench/measure-plan.ts");
  const planDir = join(work, "plan");
  await bundleModule(bench("measure-plan.ts"), planDir);
  cpSync(join(root, "policies"), join(planDir, "policies"), { recursive: true });
  const measurePlan = join(planDir, "index.mjs");

  const planned = new Map<number, { floor: FloorMeasurement; plan: PlanMeasurement; workerHeap: SizeResult["workerHeap"]; github: GitHubMeasurement | null }>();
  for (const n of sizes) {
    const t = trees.get(n)!;
    progress(`N = ${n}: ${t.counts.files} files, ${(t.counts.bytes / 1e6).toFixed(1)} MB, ${t.changed} changed by the PR`);
    // Floor and plan alternate, one process per run, so a slower moment of a shared machine weighs
    // on both alike; times are medians, peak RSS the highest of the plan's runs.
    const floors: FloorMeasurement[] = [];
    const plans: PlanMeasurement[] = [];
    for (let i = 0; i < repetitionsFor(n); i++) {
      floors.push(bundled<FloorMeasurement>(measurePlan, ["floor", t.base, t.head, "1"], ["--expose-gc"]));
      plans.push(bundled<PlanMeasurement>(measurePlan, ["plan", t.base, t.head, "1"], ["--expose-gc"]));
      progress(`  run ${i + 1}: parse floor ${floors[i]!.parseFloorMs} ms, plan ${plans[i]!.planMs} ms, peak RSS ${plans[i]!.peakRssMb} MB`);
    }
    const floor: FloorMeasurement = { ...floors[0]!, parseFloorMs: median(floors.map((f) => f.parseFloorMs)), peakRssMb: Math.max(...floors.map((f) => f.peakRssMb)) };
    const plan: PlanMeasurement = { ...plans[0]!, planMs: median(plans.map((p) => p.planMs)), peakRssMb: Math.max(...plans.map((p) => p.peakRssMb)) };
    progress(`  parse floor ${floor.parseFloorMs} ms, plan ${plan.planMs} ms (medians), peak RSS ${plan.peakRssMb} MB, live heap ${plan.liveHeapMb} MB`);
    let workerHeap: SizeResult["workerHeap"];
    try {
      const limited = bundled<PlanMeasurement>(measurePlan, ["plan", t.base, t.head, "1"], ["--expose-gc", `--max-old-space-size=${WORKER_HEAP_MIB}`]);
      workerHeap = { heapMiB: WORKER_HEAP_MIB, planMs: limited.planMs, peakRssMb: limited.peakRssMb };
      progress(`  with the worker's ${WORKER_HEAP_MIB} MiB heap: plan ${limited.planMs} ms, peak RSS ${limited.peakRssMb} MB`);
    } catch (error) {
      workerHeap = { heapMiB: WORKER_HEAP_MIB, error: (error as Error).message };
      progress(`  with the worker's ${WORKER_HEAP_MIB} MiB heap: failed (${workerHeap.error})`);
    }
    const github = child<GitHubMeasurement>("measure-github.ts", [String(n)]);
    progress(`  PR check: ${github.githubRequestsPerCheck} GitHub API requests (${github.conclusion})`);
    planned.set(n, { floor, plan, workerHeap, github });
  }

  progress(`webhook: ${deliveries} deliveries at once`);
  const webhook = child<WebhookMeasurement>("measure-webhook.ts", [String(deliveries)]);
  progress("function bundles");
  const built = bundles();

  const results: SizeResult[] = sizes.map((n) => {
    const { floor, plan, workerHeap, github } = planned.get(n)!;
    const t = trees.get(n)!;
    return {
      services: n,
      files: t.counts.files,
      megabytes: Math.round((t.counts.bytes / 1e6) * 10) / 10,
      resources: plan.resources,
      hosts: plan.hosts,
      parseFloorMs: floor.parseFloorMs,
      planMs: plan.planMs,
      ratio: Math.round((plan.planMs / floor.parseFloorMs) * 100) / 100,
      peakRssMb: plan.peakRssMb,
      liveHeapMb: plan.liveHeapMb,
      floorPeakRssMb: floor.peakRssMb,
      workerHeap,
      githubRequestsPerCheck: github?.githubRequestsPerCheck ?? null,
      webhookAckP50Ms: webhook.ack.p50,
      webhookAckP99Ms: webhook.ack.p99,
      webhookBurstP50Ms: webhook.burst.p50,
      webhookBurstP99Ms: webhook.burst.p99,
      bundles: built,
    };
  });

  writeFileSync(values.out, `${JSON.stringify({ machine: info, webhook, results }, null, 2)}\n`);
  console.log(markdown(info, results, webhook, built));
  progress(`wrote ${values.out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function markdown(info: ReturnType<typeof machine>, results: readonly SizeResult[], webhook: WebhookMeasurement, built: BundlesResult): string {
  const lines = [
    `Machine: ${info.cores} × ${info.cpu}, ${info.memoryGb} GB, Node ${info.node} (${info.platform})`,
    "",
    "| services | files | MB (base) | parse floor | plan | plan / floor | peak RSS (plan) | live heap (plan) | GitHub requests / check |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.services.toLocaleString("en-US")} | ${r.files.toLocaleString("en-US")} | ${r.megabytes} | ${r.parseFloorMs.toLocaleString("en-US")} ms | ` +
        `${r.planMs.toLocaleString("en-US")} ms | ${r.ratio.toFixed(2)}× | ${r.peakRssMb} MB | ${r.liveHeapMb} MB | ${r.githubRequestsPerCheck ?? "—"} |`,
    ),
    "",
    `The same plan with the worker's heap limit (--max-old-space-size=${WORKER_HEAP_MIB}):`,
    "",
    "| services | plan | plan / floor | peak RSS |",
    "|---:|---:|---:|---:|",
    ...results.map((r) =>
      "error" in r.workerHeap
        ? `| ${r.services.toLocaleString("en-US")} | failed: ${r.workerHeap.error} | | |`
        : `| ${r.services.toLocaleString("en-US")} | ${r.workerHeap.planMs.toLocaleString("en-US")} ms | ` +
          `${(r.workerHeap.planMs / r.parseFloorMs).toFixed(2)}× | ${r.workerHeap.peakRssMb} MB |`,
    ),
    "",
    `Webhook, ${webhook.deliveries} signed deliveries at once (${webhook.accepted} answered 202):`,
    "",
    "| | p50 | p99 | max |",
    "|---|---:|---:|---:|",
    `| ack inside the server (meshplan webhook app) | ${webhook.ack.p50} ms | ${webhook.ack.p99} ms | ${webhook.ack.max} ms |`,
    `| at the sender, whole burst (meshplan webhook app) | ${webhook.burst.p50} ms | ${webhook.burst.p99} ms | ${webhook.burst.max} ms |`,
    `| ack inside the server (bare node:http) | ${webhook.bareAck.p50} ms | ${webhook.bareAck.p99} ms | ${webhook.bareAck.max} ms |`,
    `| at the sender, whole burst (bare node:http) | ${webhook.bareBurst.p50} ms | ${webhook.bareBurst.p99} ms | ${webhook.bareBurst.max} ms |`,
    "",
  ];
  if (built.status === "not built") {
    lines.push(`Function bundles: not built (${built.reason}).`);
  } else {
    lines.push(
      `Function bundles (hello world: import ${built.helloWorld.importMs} ms, process ${built.helloWorld.processMs} ms):`,
      "",
      "| bundle | size | entry | import | × hello | process | × hello |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...Object.entries(built.functions).map(([name, b]) =>
        b === "not built"
          ? `| ${name} | not built | | | | | |`
          : `| ${name} | ${(b.bytes / 1024).toFixed(1)} KiB | ${(b.entryBytes / 1024).toFixed(1)} KiB | ${b.importMs} ms | ${b.importRatio}× | ${b.processMs} ms | ${b.processRatio}× |`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
