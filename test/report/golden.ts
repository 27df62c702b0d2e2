/**
 * Golden files: rendered output kept in test/testdata/golden/ and reviewed
 * like code. A test compares its output with the file; run the tests with
 * UPDATE_GOLDEN=1 to rewrite the files after an intended change, then read
 * the diff (`git diff test/testdata/golden`) before committing it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "../support/corpus.js";

export const goldenDir = join(repoRoot, "test", "testdata", "golden");

export function assertGolden(name: string, actual: string): void {
  const file = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(actual, readFileSync(file, "utf8"), `output differs from golden ${name}; if intended, rerun with UPDATE_GOLDEN=1`);
}
