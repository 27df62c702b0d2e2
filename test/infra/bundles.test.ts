/**
 * The Lambda bundles of scripts/build-functions.ts: the webhook stays within its size budget
 * (docs/deploy.md says why) and carries none of the worker's machinery, the worker carries
 * the default policy pack, and every bundle loads in a bare Node.js process: no AWS runtime,
 * no configuration, no node_modules in reach.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { buildFunctions, FUNCTIONS, WEBHOOK_BUNDLE_BUDGET_BYTES, type BuiltFunction } from "../../scripts/build-functions.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = join(root, "dist", `test-functions-${process.pid}`);
let outside: string;
let built: Map<string, BuiltFunction>;

before(async () => {
  built = new Map((await buildFunctions(outdir)).map((f) => [f.name, f]));
  // Out of the repository, `import "@aws-sdk/…"` or any other package would fail to resolve.
  outside = await mkdtemp(join(tmpdir(), "meshplan-bundles-"));
  await cp(outdir, outside, { recursive: true });
});

after(async () => {
  await rm(outdir, { recursive: true, force: true });
  if (outside) await rm(outside, { recursive: true, force: true });
});

const bundle = (name: string): BuiltFunction => {
  const f = built.get(name);
  assert.ok(f, `${name} was built`);
  return f;
};

describe("webhook bundle", () => {
  it(`fits the ${WEBHOOK_BUNDLE_BUDGET_BYTES / 1024} KiB budget, chunks included`, () => {
    const { bytes, entryBytes } = bundle("webhook");
    assert.ok(entryBytes <= bytes);
    assert.ok(bytes <= WEBHOOK_BUNDLE_BUDGET_BYTES, `webhook bundle is ${bytes} bytes, over its budget of ${WEBHOOK_BUNDLE_BUDGET_BYTES}`);
  });

  for (const excluded of ["node_modules/@kubernetes/client-node/", "src/jobs/rollout.ts", "src/lint/", "src/cluster/", "node_modules/@octokit/rest/"]) {
    it(`leaves out ${excluded}: it verifies and queues, the worker does the rest`, () => {
      const hits = bundle("webhook").inputs.filter((i) => i.startsWith(excluded));
      assert.deepEqual(hits, []);
    });
  }

  it("holds the webhook app and its handler (the inputs are read right)", () => {
    const { inputs } = bundle("webhook");
    assert.ok(inputs.includes("functions/webhook.ts"), inputs.slice(0, 10).join(", "));
    assert.ok(inputs.includes("src/server/webhook-app.ts"));
  });
});

describe("worker bundle", () => {
  it("carries a copy of the default policy pack beside its entry", async () => {
    const copied = (await readdir(join(bundle("worker").dir, "policies"))).sort();
    const original = (await readdir(join(root, "policies"))).sort();
    assert.ok(original.length > 0);
    assert.deepEqual(copied, original);
  });

  it("holds the Kubernetes client the rollout needs", () => {
    assert.ok(bundle("worker").inputs.some((i) => i.startsWith("node_modules/@kubernetes/client-node/")));
  });
});

interface Loaded {
  code: number;
  stdout: string;
  stderr: string;
}

/** Imports `file` in a fresh `node` whose environment holds PATH only. */
function importAlone(file: string): Promise<Loaded> {
  const script = [
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    "const env = Object.keys(process.env).filter((k) => k !== 'PATH');",
    "console.log(JSON.stringify({ handler: typeof m.handler, env }));",
  ].join("\n");
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: dirname(file), env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, timeout: 30_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("every bundle loads without the AWS runtime", () => {
  for (const name of FUNCTIONS) {
    it(`${name}: imports in a bare process and exports handler()`, async () => {
      const file = join(outside, name, "index.mjs");
      assert.ok(existsSync(file), `${file} exists`);
      const r = await importAlone(file);
      assert.equal(r.code, 0, `import failed:\n${r.stderr}`);
      const seen = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { handler: string; env: string[] };
      assert.equal(seen.handler, "function");
      assert.deepEqual(
        seen.env.filter((k) => /^(AWS_|GITHUB_|MESHPLAN_|LAMBDA_)/.test(k)),
        [],
        "no AWS, GitHub or meshplan configuration in the environment",
      );
    });
  }
});
