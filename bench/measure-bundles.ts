/**
 * Size and cold import time of each function bundle (dist/functions/<name>/index.mjs,
 * from `npm run build:functions`), next to a hello-world bundle's. Each import runs in
 * a fresh Node process (bench/import-time.mjs, no loaders), `runs` times; the figures
 * are medians:
 *
 * - importMs: the `await import()` of the bundle alone, timed inside the process;
 * - processMs: from spawning `node` to its exit, Node's own start-up included: the
 *   part of a Lambda cold start the bundle can affect, plus Node's boot.
 *
 * `node --import tsx bench/measure-bundles.ts [dist/functions]` prints one JSON line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FUNCTION_NAMES = ["webhook", "worker", "drift"] as const;

export interface BundleMeasurement {
  /** Every .mjs file of the bundle (entry and chunks). */
  bytes: number;
  entryBytes: number;
  importMs: number;
  processMs: number;
  /** importMs and processMs over the hello-world bundle's. */
  importRatio: number;
  processRatio: number;
}

export type BundlesResult =
  | { status: "not built"; reason: string }
  | { status: "measured"; helloWorld: { importMs: number; processMs: number }; functions: Record<string, BundleMeasurement | "not built"> };

const importTimer = fileURLToPath(new URL("./import-time.mjs", import.meta.url));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function jsBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) total += jsBytes(p);
    else if (name.endsWith(".mjs")) total += statSync(p).size;
  }
  return total;
}

function coldImportOnce(file: string): { importMs: number; processMs: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [importTimer, file], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  const processMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`importing ${file} failed: ${r.stderr}`);
  return { importMs: Number(r.stdout.trim()), processMs };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function measureBundles(dir: string, runs = 9): BundlesResult {
  if (!existsSync(dir)) return { status: "not built", reason: `${dir} does not exist` };
  const hello = mkdtempSync(join(tmpdir(), "meshplan-hello-"));
  try {
    const helloFile = join(hello, "index.mjs");
    writeFileSync(helloFile, 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n');
    const entries = new Map<string, string>([["hello", helloFile]]);
    for (const name of FUNCTION_NAMES) {
      const entry = join(dir, name, "index.mjs");
      if (existsSync(entry)) entries.set(name, entry);
    }
    // Round-robin, so a slower moment of the machine weighs on every bundle alike.
    const samples = new Map<string, { importMs: number[]; processMs: number[] }>([...entries.keys()].map((k) => [k, { importMs: [], processMs: [] }]));
    for (let i = 0; i < runs; i++) {
      for (const [name, file] of entries) {
        const t = coldImportOnce(file);
        samples.get(name)!.importMs.push(t.importMs);
        samples.get(name)!.processMs.push(t.processMs);
      }
    }
    const medians = (name: string) => ({ importMs: round(median(samples.get(name)!.importMs)), processMs: round(median(samples.get(name)!.processMs)) });
    const helloWorld = medians("hello");
    const functions: Record<string, BundleMeasurement | "not built"> = {};
    for (const name of FUNCTION_NAMES) {
      const entry = entries.get(name);
      if (!entry) {
        functions[name] = "not built";
        continue;
      }
      const t = medians(name);
      functions[name] = {
        bytes: jsBytes(join(dir, name)),
        entryBytes: statSync(entry).size,
        ...t,
        importRatio: round(t.importMs / helloWorld.importMs),
        processRatio: round(t.processMs / helloWorld.processMs, 2),
      };
    }
    return { status: "measured", helloWorld, functions };
  } finally {
    rmSync(hello, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(measureBundles(resolve(process.argv[2] ?? "dist/functions"))));
}
