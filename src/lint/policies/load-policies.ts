/**
 * Policy files -> MeshPolicies. Files are read with the manifest loader, so
 * every problem has a file and line; each document is checked against the
 * MeshPolicy schema and each CEL expression compiled up front. A policy with
 * any problem is left out with a finding saying why (MP0030-MP0037), never
 * silently, and the other policies still load.
 */
import type { z } from "zod";
import type { Finding, FindingInput } from "../../findings.js";
import { findingAt, formatPath } from "../../findings.js";
import { loadManifests } from "../../manifests/load.js";
import type { FieldPath, Resource, SourceFile, SourcePosition } from "../../manifests/types.js";
import { compileExpression, type ExpectedType, type ExpressionPosition } from "./compile-expression.js";
import type { CompiledCel, MeshPolicy, PolicyValidation } from "./mesh-policy.js";
import { parseFieldPath } from "./parse-field-path.js";
import { policyCodes } from "./policy-codes.js";
import { meshPolicySchema, POLICY_API_VERSION, POLICY_KIND, type MeshPolicyDocument } from "./policy-schema.js";

export type { MeshPolicy } from "./mesh-policy.js";

export interface LoadedPolicies {
  policies: MeshPolicy[];
  findings: Finding[];
}

/** Annotations a policy documents itself with (docs/policies.md). */
export const TITLE_ANNOTATION = "meshplan.io/title";
export const DESCRIPTION_ANNOTATION = "meshplan.io/description";

/** Only YAML and JSON files of a policy directory are policies; a README beside them is not. */
const POLICY_FILE = /\.(ya?ml|json)$/i;

export function loadPolicies(files: readonly SourceFile[]): LoadedPolicies {
  const out: LoadedPolicies = { policies: [], findings: [] };
  const byName = new Map<string, Resource>();
  for (const file of files) {
    if (!POLICY_FILE.test(file.path)) continue;
    const loaded = loadManifests([file]);
    for (const f of loaded.findings) {
      out.findings.push({
        ...f,
        code: policyCodes.unreadableFile.code,
        severity: policyCodes.unreadableFile.severity,
        message: `Policy file: ${f.message}`,
        equivalents: [],
      });
    }
    const lines = loaded.resources.length ? sourceText(file).split(/\r?\n/) : [];
    for (const res of loaded.resources) {
      const policy = policyOf(res, lines, out.findings);
      if (!policy) continue;
      const first = byName.get(policy.name);
      if (first) {
        out.findings.push(
          policyFinding(
            res,
            ["metadata", "name"],
            policyCodes.duplicatePolicy,
            `MeshPolicy ${policy.name} is declared again (first at ${first.file}:${first.position.line}); this one is not applied.`,
            "Rename one of them: a policy's name is the code of its findings.",
          ),
        );
        continue;
      }
      byName.set(policy.name, res);
      out.policies.push(policy);
    }
  }
  return out;
}

function policyOf(res: Resource, lines: readonly string[], findings: Finding[]): MeshPolicy | null {
  if (res.kind !== POLICY_KIND || res.apiVersion !== POLICY_API_VERSION) {
    const sameKind = res.kind === POLICY_KIND;
    findings.push(
      policyFinding(
        res,
        [sameKind ? "apiVersion" : "kind"],
        policyCodes.notAPolicy,
        sameKind
          ? `MeshPolicy ${res.name} has apiVersion ${res.apiVersion}; meshplan reads ${POLICY_API_VERSION}. It is not applied.`
          : `${res.apiVersion} ${res.kind} ${res.name} is not a MeshPolicy; a policy directory holds only ${POLICY_API_VERSION} MeshPolicy documents. It is not applied.`,
        sameKind ? `Use apiVersion: ${POLICY_API_VERSION}.` : "Move the document out of the policy directory.",
      ),
    );
    return null;
  }
  const parsed = meshPolicySchema.safeParse(res.object);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) findings.push(schemaFinding(res, issue));
    return null;
  }
  const doc = parsed.data;
  const problems: Finding[] = [];
  const validations: PolicyValidation[] = [];
  doc.spec.validations.forEach((v, index) => {
    const expression = compileField(res, lines, ["spec", "validations", index, "expression"], v.expression, "bool", problems);
    const messageExpression =
      v.messageExpression === undefined
        ? null
        : compileField(res, lines, ["spec", "validations", index, "messageExpression"], v.messageExpression, "string", problems);
    if (!expression || (v.messageExpression !== undefined && !messageExpression)) return;
    validations.push({
      index,
      expression,
      message: v.message?.trim() ?? null,
      messageExpression,
      severity: v.severity ?? "error",
      path: v.path === undefined ? null : parseFieldPath(v.path),
    });
  });
  if (problems.length) {
    findings.push(...problems);
    return null;
  }
  return {
    name: doc.metadata.name,
    title: doc.metadata.annotations?.[TITLE_ANNOTATION]?.trim() || doc.metadata.name,
    description: doc.metadata.annotations?.[DESCRIPTION_ANNOTATION]?.trim() ?? "",
    source: res,
    matchConstraints: matchConstraintsOf(doc),
    params: doc.spec.params ?? null,
    validations,
  };
}

function matchConstraintsOf(doc: MeshPolicyDocument): MeshPolicy["matchConstraints"] {
  const m = doc.spec.matchConstraints;
  return {
    resourceRules: m.resourceRules.map((r) => ({
      apiGroups: r.apiGroups,
      apiVersions: r.apiVersions ?? null,
      kinds: r.kinds,
      resourceNames: r.resourceNames ?? null,
    })),
    namespaces: m.namespaces ?? null,
    namespaceSelector: m.namespaceSelector ?? null,
    objectSelector: m.objectSelector ?? null,
  };
}

function compileField(
  res: Resource,
  lines: readonly string[],
  path: FieldPath,
  text: string,
  expected: ExpectedType,
  problems: Finding[],
): CompiledCel | null {
  const compiled = compileExpression(text, expected);
  if (compiled.ok) return { text, program: compiled.program, variables: compiled.variables };
  const where = compiled.at ? ` (line ${compiled.at.line}, column ${compiled.at.column} of the expression)` : "";
  const finding = policyFinding(
    res,
    path,
    compiled.code,
    `MeshPolicy ${res.name}: ${formatPath(path)}: ${compiled.message}${where}; the policy is not applied.`,
  );
  if (compiled.at && finding.line !== null && finding.column !== null) {
    const pos = positionInFile(lines, { line: finding.line, column: finding.column }, compiled.at);
    finding.line = pos.line;
    finding.column = pos.column;
  }
  problems.push(finding);
  return null;
}

/**
 * Where a position inside an expression is in the file, given where the
 * expression's YAML value starts: exact for a value on one line (plain or
 * quoted) and for a literal block (`|`), whose lines are the file's lines;
 * otherwise (folded or wrapped values) the start of the value.
 */
function positionInFile(lines: readonly string[], value: SourcePosition, at: ExpressionPosition): SourcePosition {
  const first = lines[value.line - 1] ?? "";
  const indicator = first[value.column - 1];
  if (indicator === "|") {
    let indent = -1;
    for (let l = value.line; l < lines.length && indent < 0; l++) {
      const text = lines[l]!;
      if (text.trim() !== "") indent = text.length - text.trimStart().length;
    }
    const line = value.line + at.line;
    if (indent >= 0 && line <= lines.length) return { line, column: indent + at.column };
    return value;
  }
  if (at.line !== 1 || indicator === ">") return value;
  const column = indicator === '"' || indicator === "'" ? value.column + at.column : value.column + at.column - 1;
  return column <= first.length ? { line: value.line, column } : value;
}

function schemaFinding(res: Resource, issue: z.core.$ZodIssue): Finding {
  const path: (string | number)[] = issue.path.map((seg) => (typeof seg === "symbol" ? String(seg.description ?? "") : seg));
  let message = issue.message;
  // An unknown field is located at the field itself, not at the object holding it.
  if (issue.code === "unrecognized_keys" && issue.keys.length > 0) {
    path.push(issue.keys[0]!);
    message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  }
  const where = path.length ? formatPath(path) : "document";
  return policyFinding(res, path, policyCodes.invalidPolicy, `MeshPolicy ${res.name}: ${where}: ${message}; the policy is not applied.`);
}

function policyFinding(
  res: Resource,
  path: FieldPath,
  code: { code: string; severity: FindingInput["severity"] },
  message: string,
  hint?: string,
): Finding {
  return findingAt(res, path, { code: code.code, severity: code.severity, message, ...(hint ? { hint } : {}) });
}

const utf8 = new TextDecoder("utf-8");

function sourceText(file: SourceFile): string {
  return typeof file.content === "string" ? file.content : utf8.decode(file.content);
}
