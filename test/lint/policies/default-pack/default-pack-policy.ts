/**
 * The real default pack, read from policies/ as the CLI reads it, for the
 * tests of each bundled policy.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../../../../src/findings.js";
import { DEFAULT_PACK_DIR } from "../../../../src/lint/policies/default-pack.js";
import { loadPolicies, type MeshPolicy } from "../../../../src/lint/policies/load-policies.js";
import type { SourceFile } from "../../../../src/manifests/types.js";
import { repoRoot } from "../../../support/corpus.js";
import { evaluate } from "../policy-fixtures.js";

export function defaultPackFiles(): SourceFile[] {
  const dir = join(repoRoot, DEFAULT_PACK_DIR);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: `${DEFAULT_PACK_DIR}/${name}`, content: readFileSync(join(dir, name)) }));
}

/** Every policy of the pack; the pack itself must load without findings. */
export function defaultPack(): MeshPolicy[] {
  const loaded = loadPolicies(defaultPackFiles());
  assert.deepEqual(loaded.findings, [], "the default pack loads cleanly");
  return loaded.policies;
}

/** One policy of the pack, by name, optionally with other params. */
export function defaultPackPolicy(name: string, params?: Record<string, unknown>): MeshPolicy {
  const policy = defaultPack().find((p) => p.name === name);
  assert.ok(policy, `policies/ holds ${name}`);
  return params ? { ...policy, params } : policy;
}

/** The findings of one policy on `head` (with `base` as the BASE revision when given). */
export function findingsOf(policy: MeshPolicy, head: Record<string, string>, base?: Record<string, string>): Finding[] {
  return evaluate([policy], head, base).filter((f) => f.code === policy.name || f.code.startsWith("MP"));
}

/** `metadata.labels` satisfying required-owner-labels, so other policies' cases stay about themselves. */
export const OWNED = "  labels:\n    owner: jane\n    team: payments\n";
