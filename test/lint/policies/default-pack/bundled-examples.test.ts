import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyzeTree } from "../../../../src/jobs/analyze-tree.js";
import { evaluatePolicies } from "../../../../src/lint/policies/evaluate-policies.js";
import { repoRoot } from "../../../support/corpus.js";
import { defaultPack } from "./default-pack-policy.js";

function side(example: string, name: "base" | "head") {
  const dir = join(repoRoot, "examples", example, name);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ path: `examples/${example}/${name}/${f}`, content: readFileSync(join(dir, f)) }));
  return analyzeTree(files);
}

describe("default pack on the bundled examples", () => {
  const policies = defaultPack();

  it("holds the eight documented policies", () => {
    assert.deepEqual(policies.map((p) => p.name).sort(), [
      "egress-allow-list",
      "max-retry-attempts",
      "max-route-timeout",
      "max-weight-shift",
      "no-fault-injection-in-prod",
      "no-wildcard-gateway-hosts",
      "required-owner-labels",
      "strict-mtls-in-prod",
    ]);
  });

  for (const example of ["bookinfo", "bookstore"]) {
    it(`${example}: base and head (checked against base) comply with every policy`, () => {
      const base = side(example, "base");
      const head = side(example, "head");
      assert.deepEqual(evaluatePolicies(policies, { model: base.model, table: base.table, baseModel: null }), []);
      assert.deepEqual(evaluatePolicies(policies, { model: head.model, table: head.table, baseModel: base.model }), []);
    });

    it(`${example}: the head still shifts traffic, within 20 points`, () => {
      const base = side(example, "base");
      const head = side(example, "head");
      const shiftOnly = policies.filter((p) => p.name === "max-weight-shift");
      const strict = [{ ...shiftOnly[0]!, params: { maxShift: 10 } }];
      // A tighter limit catches the example's canary step, so the pack above passed on a real shift.
      assert.equal(evaluatePolicies(strict, { model: head.model, table: head.table, baseModel: base.model }).length, 1);
    });
  }
});
