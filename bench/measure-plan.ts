/**
 * One benchmark size, in processes of its own so peak RSS belongs to this N
 * alone, reading the base and head trees scripts/bench.ts wrote:
 *
 *   node --expose-gc --import tsx bench/measure-plan.ts floor|plan <base> <head> [repetitions]
 *
 * prints one JSON line. scripts/bench.ts runs it bundled instead (no tsx in
 * the process, as in the worker), with and without the worker's heap limit.
 *
 * - floor: every byte of the base and head trees decoded and parsed to plain
 *   JavaScript values by `yaml` alone (`parseAllDocuments` + `toJS`, with
 *   the YAML 1.1 schema and merge keys the loader reads manifests with; no
 *   positions, no validation);
 * - plan: what a PR check computes from the same bytes: load, validate,
 *   model, routing of base and head, built-in rules and the default policy
 *   pack, diff, and the markdown the check run shows.
 *
 * Each first runs once on a small generated repository, so neither pays for
 * JIT warm-up or first-use compilation in the figure; times are the median
 * of the repetitions. Peak RSS (getrusage maxrss) is read after the first
 * repetition, so it is the high-water mark of one run; the live heap is what
 * that run's outcome still holds after a full garbage collection.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { readDefaultPack } from "../src/cli/default-pack.js";
import { plan } from "../src/jobs/plan.js";
import type { SourceFile } from "../src/manifests/types.js";
import { renderPlanMarkdown } from "../src/report/markdown.js";
import { generateMeshRepo, pullRequestOf } from "./generate-mesh.js";
import { readTreeFile } from "./repo-file.js";

export interface FloorMeasurement {
  parseFloorMs: number;
  documents: number;
  peakRssMb: number;
}

export interface PlanMeasurement {
  planMs: number;
  /** Heap the plan's outcome (both revisions' analyses and the report) holds once garbage is collected. */
  liveHeapMb: number;
  resources: number;
  hosts: number;
  findings: number;
  changedHosts: number;
  peakRssMb: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function parseFloor(files: readonly SourceFile[]): number {
  let documents = 0;
  for (const f of files) {
    const text = typeof f.content === "string" ? f.content : decoder.decode(f.content);
    for (const doc of parseAllDocuments(text, { version: "1.1", merge: true })) {
      doc.toJS();
      documents++;
    }
  }
  return documents;
}

function planAndRender(base: readonly SourceFile[], head: readonly SourceFile[], pack: readonly SourceFile[]) {
  const outcome = plan({ label: "main", commit: null, files: base }, { label: "pr", commit: null, files: head }, { defaultPack: pack });
  renderPlanMarkdown(outcome.report, { maxChars: 65_535 });
  return outcome;
}

function smallTrees() {
  const base = generateMeshRepo(20);
  return { base: base.files, head: pullRequestOf(base.files).files };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  gc();
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

export function measureFloor(base: readonly SourceFile[], head: readonly SourceFile[], repetitions: number): FloorMeasurement {
  const warm = smallTrees();
  parseFloor([...warm.base, ...warm.head]);
  const all = [...base, ...head];
  const times: number[] = [];
  let documents = 0;
  let peak = 0;
  for (let i = 0; i < repetitions; i++) {
    const run = timed(() => parseFloor(all));
    times.push(run.ms);
    documents = run.value;
    if (i === 0) peak = peakRssMb();
  }
  return { parseFloorMs: Math.round(median(times)), documents, peakRssMb: peak };
}

export async function measurePlan(base: readonly SourceFile[], head: readonly SourceFile[], repetitions: number): Promise<PlanMeasurement> {
  const pack = await readDefaultPack();
  const warm = smallTrees();
  planAndRender(warm.base, warm.head, pack);
  const times: number[] = [];
  let peak = 0;
  let live = 0;
  let outcome: ReturnType<typeof planAndRender> | undefined;
  for (let i = 0; i < repetitions; i++) {
    outcome = undefined;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const run = timed(() => planAndRender(base, head, pack));
    times.push(run.ms);
    outcome = run.value;
    if (i === 0) {
      peak = peakRssMb();
      // A turn of the event loop first, so nothing of the run is still held by a stack frame.
      await new Promise((done) => setTimeout(done, 0));
      gc();
      live = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6);
    }
  }
  const report = outcome!.report;
  return {
    planMs: Math.round(median(times)),
    liveHeapMb: live,
    resources: report.head.resources,
    hosts: report.head.hosts,
    findings: report.findings.length,
    changedHosts: report.diff.hosts.length,
    peakRssMb: peak,
  };
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const [what, baseFile, headFile, reps] = process.argv.slice(2);
  const repetitions = Number(reps ?? 1);
  if ((what !== "floor" && what !== "plan") || !baseFile || !headFile || !Number.isInteger(repetitions) || repetitions < 1) {
    console.error("usage: node --expose-gc --import tsx bench/measure-plan.ts floor|plan <base-tree> <head-tree> [repetitions]");
    process.exit(2);
  }
  const base = readTreeFile(baseFile);
  const head = readTreeFile(headFile);
  const result = what === "floor" ? measureFloor(base, head, repetitions) : await measurePlan(base, head, repetitions);
  console.log(JSON.stringify(result));
}
