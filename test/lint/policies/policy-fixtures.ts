/**
 * Helpers for policy tests: inline MeshPolicy documents, trees analysed the
 * way the check job does, and evaluation of loaded policies on a head tree
 * with an optional base tree.
 */
import assert from "node:assert/strict";
import type { Finding } from "../../../src/findings.js";
import { analyzeTree, type TreeAnalysis } from "../../../src/jobs/analyze-tree.js";
import { evaluatePolicies } from "../../../src/lint/policies/evaluate-policies.js";
import { loadPolicies, type MeshPolicy } from "../../../src/lint/policies/load-policies.js";

/** A MeshPolicy document: `spec` is YAML indented by two spaces under `spec:`. */
export function policyYaml(name: string, spec: string): string {
  return `apiVersion: policy.meshplan.io/v1alpha1\nkind: MeshPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

/** Policies that must load cleanly; the test fails on any loader finding. */
export function policiesFrom(files: Record<string, string>): MeshPolicy[] {
  const loaded = loadPolicies(Object.entries(files).map(([path, content]) => ({ path, content })));
  assert.deepEqual(loaded.findings, [], "the policies load without findings");
  return loaded.policies;
}

export function tree(files: Record<string, string>): TreeAnalysis {
  return analyzeTree(Object.entries(files).map(([path, content]) => ({ path, content })));
}

/** Evaluates `policies` on `head`, with `base` as the BASE revision when given. */
export function evaluate(policies: readonly MeshPolicy[], head: Record<string, string>, base?: Record<string, string>): Finding[] {
  const h = tree(head);
  assert.deepEqual(inputFindings(h), [], "the head tree loads and matches its schemas");
  const b = base ? tree(base) : null;
  if (b) assert.deepEqual(inputFindings(b), [], "the base tree loads and matches its schemas");
  return evaluatePolicies(policies, { model: h.model, table: h.table, baseModel: b?.model ?? null });
}

/** Load and schema findings (MP00xx): an object with one is not what the test meant to write. Routing findings do not matter here. */
function inputFindings(t: TreeAnalysis): Finding[] {
  return t.findings.filter((f) => f.code.startsWith("MP00"));
}

/** `code file:line` of each finding, for compact assertions. */
export function located(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.file}:${f.line}`);
}
