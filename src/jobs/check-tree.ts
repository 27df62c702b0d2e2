/**
 * Checking one revision: which files are manifests and which are the rules
 * (meshplan.yaml, policies), then load -> model -> routing -> analyzers ->
 * policies -> repository settings. Pure: the caller reads the files.
 *
 * The rules a tree is checked with are a separate value (`CheckRules`) so a
 * pull request's head is always checked with its BASE revision's rules: a
 * change cannot weaken the checks that judge it.
 */
import { createHash } from "node:crypto";
import type { CodeInfo, Finding } from "../findings.js";
import { findingInFile, sortFindings } from "../findings.js";
import { configCodes } from "../config/config-codes.js";
import { CONFIG_FILE, DEFAULT_PACK, loadConfig, type LoadedConfig, type MeshplanConfig } from "../config/meshplan-config.js";
import type { SourceFile } from "../manifests/types.js";
import { applyConfig, type Suppressed } from "../lint/apply-config.js";
import { codeCatalogue } from "../lint/catalogue.js";
import { evaluatePolicies, policyRules } from "../lint/policies/evaluate-policies.js";
import { loadPolicies, type MeshPolicy } from "../lint/policies/load-policies.js";
import { builtinRules } from "../lint/rules/index.js";
import { runRules } from "../lint/run-rules.js";
import { analyzeTree, type AnalyzeOptions, type TreeAnalysis } from "./analyze-tree.js";

export interface CheckRules {
  config: LoadedConfig;
  policies: MeshPolicy[];
  /** Problems in the policy files themselves (malformed CEL, bad YAML). */
  policyFindings: Finding[];
  /** Metadata of each policy's code, for SARIF and reports. */
  policyCodes: CodeInfo[];
  /** Repository files that define the rules (meshplan.yaml, policy files), sorted. */
  files: string[];
  /** Digest of those files' contents: equal digests, equal rules. */
  fingerprint: string;
}

const text = (f: SourceFile) => (typeof f.content === "string" ? f.content : Buffer.from(f.content).toString("utf8"));

function normalizeDir(dir: string): string {
  const d = dir.replace(/^\.\//, "").replace(/\/+$/, "");
  return d === "." ? "" : d;
}

function under(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

/**
 * The rules a revision defines: its meshplan.yaml and the policy files it
 * names. `defaultPack` holds meshplan's bundled policies (paths `@default/...`).
 */
export function rulesFromTree(files: readonly SourceFile[], defaultPack: readonly SourceFile[]): CheckRules {
  const configFile = files.find((f) => f.path === CONFIG_FILE) ?? null;
  const config = loadConfig(configFile);
  const policyFiles: SourceFile[] = [];
  const extra: Finding[] = [];
  config.config.policies.forEach((entry, i) => {
    if (entry === DEFAULT_PACK) {
      policyFiles.push(...defaultPack);
      return;
    }
    const dir = normalizeDir(entry);
    const found = files.filter((f) => under(f.path, dir) && f.path !== CONFIG_FILE);
    // The implicit `policies` directory may be absent; a directory meshplan.yaml names must hold policies.
    if (found.length === 0 && config.file && config.explicit.has("policies")) {
      extra.push({
        ...findingInFile(config.file, config.locate(["policies", i]), {
          code: configCodes.invalidConfig.code,
          severity: configCodes.invalidConfig.severity,
          message: `meshplan.yaml names policy directory "${entry}", which holds no policy files`,
        }),
        path: `policies[${i}]`,
      });
    }
    policyFiles.push(...found);
  });
  const loaded = loadPolicies(policyFiles);
  const ruleFiles = [...(configFile ? [configFile] : []), ...policyFiles];
  const hash = createHash("sha256");
  for (const f of [...ruleFiles].sort((a, b) => a.path.localeCompare(b.path))) hash.update(`${f.path}\0${text(f)}\0`);
  return {
    config: { ...config, findings: [...config.findings, ...extra] },
    policies: loaded.policies,
    policyFindings: loaded.findings,
    policyCodes: policyRules(loaded.policies),
    files: ruleFiles.map((f) => f.path).sort(),
    fingerprint: hash.digest("hex"),
  };
}

/**
 * The manifests of a revision under `rules`: the configured paths, without
 * meshplan.yaml and policy files; `only` narrows them further (a command's PATH arguments).
 */
export function manifestsOf(files: readonly SourceFile[], config: MeshplanConfig, only: readonly string[] = []): SourceFile[] {
  const include = config.manifests.map(normalizeDir);
  const narrow = only.map(normalizeDir);
  const policyDirs = config.policies.filter((p) => p !== DEFAULT_PACK).map(normalizeDir);
  return files.filter(
    (f) =>
      f.path !== CONFIG_FILE &&
      include.some((d) => under(f.path, d)) &&
      (narrow.length === 0 || narrow.some((d) => under(f.path, d))) &&
      !policyDirs.some((d) => d !== "" && under(f.path, d)),
  );
}

export interface TreeCheck {
  analysis: TreeAnalysis;
  /** Every finding that stands after meshplan.yaml and annotations, sorted by file and line. */
  findings: Finding[];
  suppressed: Suppressed[];
}

export function knownCodes(rules: CheckRules): Set<string> {
  return new Set([...codeCatalogue().map((c: CodeInfo) => c.code), ...rules.policyCodes.map((c) => c.code)]);
}

export function checkTree(
  manifests: readonly SourceFile[],
  rules: CheckRules,
  base: TreeAnalysis | null,
  options: AnalyzeOptions = {},
): TreeCheck {
  const analysis = analyzeTree(manifests, options, base);
  const ruleFindings = runRules(builtinRules, analysis.model, analysis.table, { externalHosts: rules.config.config.externalHosts });
  const policyFindings = evaluatePolicies(rules.policies, {
    model: analysis.model,
    table: analysis.table,
    baseModel: base?.model ?? null,
  });
  const all = [...analysis.findings, ...ruleFindings, ...policyFindings, ...rules.policyFindings, ...rules.config.findings];
  const applied = applyConfig(all, analysis.resources, rules.config, knownCodes(rules));
  return { analysis, findings: sortFindings(applied.findings), suppressed: applied.suppressed };
}
