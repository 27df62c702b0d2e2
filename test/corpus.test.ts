/**
 * Every real-world manifest in the shared corpus (Istio, OSM, SMI, Gateway API)
 * goes through the whole pipeline — load, model, routing, trace, render —
 * without an exception, with well-formed routing and located findings.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { analyzeTree } from "../src/jobs/analyze-tree.js";
import { renderRoutesJson } from "../src/report/json.js";
import { renderRoutesMarkdown } from "../src/report/markdown.js";
import { renderRoutesText } from "../src/report/text.js";
import { requestFrom, traceRequest } from "../src/routing/trace.js";
import { corpusPath } from "./support/corpus.js";

const root = corpusPath("");

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|json)$/.test(name) && !p.includes("_source")) out.push(p);
  }
  return out;
}

const files = yamlFiles(root);

describe("the shared corpus through routes and trace", () => {
  it("holds the real manifests", () => assert.ok(files.length > 150, `only ${files.length} files found under ${root}`));

  for (const file of files) {
    const rel = relative(root, file);
    it(`plans ${rel}`, () => {
      const a = analyzeTree([{ path: rel, content: readFileSync(file) }]);
      for (const f of a.findings) {
        assert.equal(f.file, rel, `finding ${f.code} without its file`);
        assert.ok(f.line !== null && f.line >= 1, `finding ${f.code} without a line: ${f.message}`);
      }
      for (const h of a.table.hosts) {
        for (const r of h.rules) {
          if (r.backends.length === 0) continue;
          const sum = r.backends.reduce((s, b) => s + b.weight, 0);
          assert.ok(Math.abs(sum - 100) < 1e-6, `${h.key} rule ${r.id}: weights sum to ${sum}`);
        }
        const req = requestFrom({
          host: h.host.startsWith("*") ? `x${h.host.slice(1)}` : h.host,
          port: h.port,
          attachment: h.attachment,
        });
        const t = traceRequest(a.model, a.table, req);
        assert.equal(typeof t.allowed, "boolean");
      }
      assert.equal(typeof renderRoutesText(a.table, { color: true }), "string");
      assert.equal(typeof renderRoutesMarkdown(a.table), "string");
      JSON.parse(renderRoutesJson(a.table));
    });
  }
});
