/**
 * Every finding code meshplan can emit, with its documentation: the input
 * codes, the routing engines' codes, meshplan's own configuration and policy
 * codes, the built-in analyzers, and the internal MP0090. docs/rules.md is
 * generated from this list (scripts/gen-rules-doc.ts) and SARIF output takes
 * its rules from it. Findings of organisational policies carry the policy's
 * name as their code and are not listed here.
 */
import type { CodeInfo } from "../findings.js";
import { configCodes } from "../config/config-codes.js";
import { inputCodes } from "../manifests/codes.js";
import { gatewayApiFindings } from "../routing/gateway-api/gateway-api-findings.js";
import { ingressFindings } from "../routing/ingress/ingress-findings.js";
import { istioRouteCodes } from "../routing/istio/istio-route-codes.js";
import { smiCodes } from "../routing/smi/smi-codes.js";
import { policyCodes } from "./policies/policy-codes.js";
import { builtinRules } from "./rules/index.js";

/** A rule that throws: a defect in meshplan, reported instead of its findings (run-rules.ts). */
export const ruleFailedCode: CodeInfo = {
  code: "MP0090",
  title: "Analyzer failed",
  severity: "error",
  docs:
    "A built-in analyzer stopped with an unexpected error while checking the tree. This is a defect in meshplan, " +
    "not in the configuration: its findings are missing from the report, the other analyzers still ran. Please " +
    "report it with the message.",
  equivalents: [],
};

/** Only the documented fields, so a rule's `kinds` and `check` do not leak into the catalogue. */
function info(c: CodeInfo): CodeInfo {
  return { code: c.code, title: c.title, severity: c.severity, docs: c.docs, equivalents: [...(c.equivalents ?? [])] };
}

/** Every catalogue entry as its source declares it, duplicates included (the catalogue test checks they agree). */
export function catalogueEntries(): CodeInfo[] {
  return [
    ...Object.values(inputCodes),
    ruleFailedCode,
    ...Object.values(configCodes),
    ...Object.values(policyCodes),
    ...Object.values(istioRouteCodes),
    ...Object.values(gatewayApiFindings),
    ...Object.values(ingressFindings),
    ...Object.values(smiCodes),
    ...builtinRules,
  ].map(info);
}

/** Sorted by code, each code once (the first declaration, should two sources ever declare one code). */
export function codeCatalogue(): CodeInfo[] {
  const byCode = new Map<string, CodeInfo>();
  for (const c of catalogueEntries()) if (!byCode.has(c.code)) byCode.set(c.code, c);
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

let index: Map<string, CodeInfo> | null = null;

/** The documentation of one code, or undefined for codes meshplan does not define (organisational policies). */
export function codeInfo(code: string): CodeInfo | undefined {
  index ??= new Map(codeCatalogue().map((c) => [c.code, c]));
  return index.get(code);
}
