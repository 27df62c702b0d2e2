/**
 * Bundles each Lambda function on its own with esbuild: `dist/functions/<name>/index.mjs`, an
 * ES module for the Node.js 22 runtime. Each bundle holds only what its handler imports, so the
 * webhook function carries neither @kubernetes/client-node nor the jobs the worker runs. The AWS
 * SDK v3 is left out: the Lambda Node.js runtime provides it. The worker's bundle gets a copy
 * of the default policy pack next to it.
 *
 * Usage: npm run build:functions [-- --outdir DIR]
 */
import { cp, mkdir, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build, type Metafile } from "esbuild";

export const FUNCTIONS = ["webhook", "worker", "drift"] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Documented in docs/deploy.md: the webhook must stay small, it answers GitHub within seconds on a cold start. */
export const WEBHOOK_BUNDLE_BUDGET_BYTES = 128 * 1024;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface BuiltFunction {
  name: FunctionName;
  dir: string;
  file: string;
  /** Every JavaScript file of the bundle: the entry and its chunks. */
  bytes: number;
  /** The entry module alone: what importing the handler loads. */
  entryBytes: number;
  /** Every input file esbuild put into the bundle, repository-relative. */
  inputs: string[];
}

export async function buildFunctions(outdir = join(root, "dist", "functions")): Promise<BuiltFunction[]> {
  const built: BuiltFunction[] = [];
  for (const name of FUNCTIONS) {
    const dir = join(outdir, name);
    const file = join(dir, "index.mjs");
    const result = await bundleModule(join(root, "functions", `${name}.ts`), dir);
    if (name === "worker") await cp(join(root, "policies"), join(dir, "policies"), { recursive: true });
    const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith(".mjs"));
    const entry = outputOf(result.metafile, file);
    const inputs = new Set(outputs.flatMap(([, o]) => Object.keys(o.inputs)).map((p) => relative(root, resolve(process.cwd(), p))));
    built.push({ name, dir, file, bytes: outputs.reduce((sum, [, o]) => sum + o.bytes, 0), entryBytes: entry.bytes, inputs: [...inputs].sort() });
  }
  return built;
}

/**
 * Bundles the module `entry` into `dir` (emptied first) as `index.mjs` and its chunks, the way the
 * functions are built; the benchmark runs its plan measurement from such a bundle, as the worker runs.
 */
export async function bundleModule(entry: string, dir: string) {
  // Bundled CommonJS modules call require(), which an ES module lacks: a banner makes one. A bundle of ES
  // modules alone is built again without it, so importing it does not pay for createRequire(): the
  // webhook's import is part of the cold start that must answer GitHub in time.
  const result = await bundle(entry, dir, { requireShim: true });
  if (Object.values(result.metafile.inputs).some((input) => input.format === "cjs")) return result;
  return bundle(entry, dir, { requireShim: false });
}

async function bundle(entry: string, dir: string, { requireShim }: { requireShim: boolean }) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return build({
    entryPoints: { index: entry },
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    // Modules a handler imports dynamically (the AWS SDK clients, Octokit) become chunks loaded on the
    // first invocation, so importing the handler stays cheap.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: true,
    sourcemap: "linked",
    metafile: true,
    legalComments: "linked",
    external: ["@aws-sdk/*"],
    ...(requireShim ? { banner: { js: "import { createRequire as __meshplanRequire } from 'node:module'; const require = __meshplanRequire(import.meta.url);" } } : {}),
    logLevel: "warning",
  });
}

function outputOf(metafile: Metafile, file: string) {
  const entry = Object.entries(metafile.outputs).find(([path]) => resolve(process.cwd(), path) === file);
  if (!entry) throw new Error(`esbuild reported no output for ${file}`);
  return entry[1];
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outdir: { type: "string" } } });
  const built = await buildFunctions(values.outdir ? resolve(values.outdir) : undefined);
  for (const f of built) {
    const budget = f.name === "webhook" ? ` (budget ${kib(WEBHOOK_BUNDLE_BUDGET_BYTES)})` : "";
    process.stdout.write(`${f.name.padEnd(8)} ${kib(f.bytes).padStart(11)} (entry ${kib(f.entryBytes)})  ${relative(root, f.file)}${budget}\n`);
  }
  const webhook = built.find((f) => f.name === "webhook")!;
  if (webhook.bytes > WEBHOOK_BUNDLE_BUDGET_BYTES) {
    process.stderr.write(`webhook bundle is ${kib(webhook.bytes)}, over its ${kib(WEBHOOK_BUNDLE_BUDGET_BYTES)} budget\n`);
    process.exitCode = 1;
  }
}
