/**
 * `meshplan lint --format sarif`: findings as a SARIF 2.1.0 log for GitHub
 * code scanning (docs.github.com "SARIF support for code scanning").
 *
 * - One run, tool.driver `meshplan` with every catalogued code as a rule
 *   (id, name, descriptions, help from its docs, default level, tags and
 *   equivalents), then the organisational policies' codes (`extraRules`), then
 *   a minimal rule for any other code a finding carries.
 * - Each result names its rule by id and index, maps severity to a SARIF level
 *   (info -> note), and, when the finding has a file, one physical location:
 *   the repository-relative path under `%SRCROOT%` and the 1-based line/column
 *   (JavaScript string columns, i.e. UTF-16 code units).
 * - `partialFingerprints` hash what identifies the finding (code, file,
 *   resource, field path, message without positions) and never its line, so
 *   code scanning keeps tracking an alert when the lines above it move.
 */
import { createHash } from "node:crypto";
import type { Artifact, Location, ReportingDescriptor, Result } from "sarif";
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";
import { sortFindings, type CodeInfo, type Finding, type Severity } from "../findings.js";

export interface SarifOptions {
  /** Every code meshplan defines (`codeCatalogue()`). */
  catalogue: readonly CodeInfo[];
  toolVersion: string;
  /** Metadata for codes outside the catalogue: the organisational policies' names. */
  extraRules?: readonly CodeInfo[];
  /** tool.driver.informationUri. */
  informationUri?: string;
}


/** The base every artifact URI is relative to: the root of the repository that was checked. */
export const SRCROOT = "%SRCROOT%";

const FINGERPRINT_KEY = "meshplanFindingHash/v1";

const levels: Record<Severity, Result.level> = { error: "error", warning: "warning", info: "note" };
/** GitHub's `problem.severity` vocabulary. */
const problemSeverity: Record<Severity, string> = { error: "error", warning: "warning", info: "recommendation" };

export function renderSarif(findings: readonly Finding[], options: SarifOptions): string {
  const run = new SarifRunBuilder({
    tool: {
      driver: {
        name: "meshplan",
        ...(options.informationUri ? { informationUri: options.informationUri } : {}),
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        rules: [],
      },
    },
    columnKind: "utf16CodeUnits",
    originalUriBaseIds: { [SRCROOT]: { description: { text: "The root of the repository that was checked." } } },
    artifacts: artifactsOf(findings),
    results: [],
  });

  const ruleIds = new Set<string>();
  const addRule = (descriptor: ReportingDescriptor) => {
    if (ruleIds.has(descriptor.id)) return;
    ruleIds.add(descriptor.id);
    run.addRule(new SarifRuleBuilder(descriptor));
  };
  for (const info of [...options.catalogue].sort(byCode)) addRule(ruleOf(info, "catalogue"));
  for (const info of [...(options.extraRules ?? [])].sort(byCode)) addRule(ruleOf(info, "policy"));
  const sorted = sortFindings([...findings]);
  for (const f of sorted) if (!ruleIds.has(f.code)) addRule(minimalRule(f));

  const occurrences = new Map<string, number>();
  for (const f of sorted) {
    const hash = fingerprintOf(f);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    run.addResult(new SarifResultBuilder(resultOf(f, `${hash}:${n}`)));
  }

  const log = new SarifBuilder({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [] });
  log.addRun(run);
  return `${JSON.stringify(log.buildSarifOutput(), null, 2)}\n`;
}

function byCode(a: CodeInfo, b: CodeInfo): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function ruleOf(info: CodeInfo, origin: "catalogue" | "policy"): ReportingDescriptor {
  const equivalents = [...(info.equivalents ?? [])];
  const also = equivalents.length ? `\n\nEquivalent istioctl analyze / Kiali codes: ${equivalents.join(", ")}.` : "";
  const alsoMarkdown = equivalents.length ? `\n\nEquivalent istioctl analyze / Kiali codes: ${equivalents.map((e) => `\`${e}\``).join(", ")}.` : "";
  return {
    id: info.code,
    name: ruleName(info.title),
    shortDescription: { text: info.title },
    fullDescription: { text: info.docs },
    help: {
      text: `${info.title} (${info.code}, default severity ${info.severity})\n\n${info.docs}${also}`,
      markdown: `**${info.code}: ${info.title}** (default severity: ${info.severity})\n\n${info.docs}${alsoMarkdown}`,
    },
    defaultConfiguration: { level: levels[info.severity] },
    properties: {
      tags: ["meshplan", origin === "policy" ? "organisational-policy" : areaOf(info.code)],
      equivalents,
      "problem.severity": problemSeverity[info.severity],
    },
  };
}

/** A code neither the catalogue nor `extraRules` documents still gets a rule, so every result resolves. */
function minimalRule(f: Finding): ReportingDescriptor {
  return {
    id: f.code,
    name: ruleName(f.code),
    shortDescription: { text: `Finding ${f.code}` },
    defaultConfiguration: { level: levels[f.severity] },
    properties: { tags: ["meshplan"], equivalents: [...f.equivalents] },
  };
}

/** `subset not found` -> `SubsetNotFound`: SARIF rule names are identifiers a person can read. */
function ruleName(title: string): string {
  const words = title.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("") || "Finding";
}

/** The part of meshplan that owns a code range (docs/rules.md groups them the same way). */
function areaOf(code: string): string {
  const n = /^MP(\d{4})$/.exec(code);
  if (!n) return "other";
  const v = Number(n[1]);
  if (v < 20) return "input";
  if (v < 30) return "configuration";
  if (v < 90) return "policy-engine";
  if (v < 100) return "internal";
  if (v < 300) return "istio";
  if (v < 310) return "gateway-api";
  if (v < 400) return "ingress";
  if (v < 500) return "smi";
  return "analyzer";
}

/** Path segments percent-encoded, `/` kept: a URI reference relative to `%SRCROOT%`. */
function artifactUri(file: string): string {
  return file
    .replace(/\\/g, "/")
    .replace(/^\.\//, "")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

function artifactsOf(findings: readonly Finding[]): Artifact[] {
  const files = [...new Set(findings.map((f) => f.file).filter((f): f is string => !!f))].sort();
  return files.map((file) => ({ location: { uri: artifactUri(file), uriBaseId: SRCROOT } }));
}

function resultOf(f: Finding, fingerprint: string): Result {
  const result: Result = {
    ruleId: f.code,
    level: levels[f.severity],
    message: { text: f.hint ? `${f.message} Fix: ${f.hint}` : f.message },
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
  };
  if (f.path || f.equivalents.length)
    result.properties = { ...(f.path ? { path: f.path } : {}), ...(f.equivalents.length ? { equivalents: [...f.equivalents] } : {}) };
  if (f.file) {
    const location: Location = {
      physicalLocation: {
        artifactLocation: { uri: artifactUri(f.file), uriBaseId: SRCROOT },
        ...(f.line !== null ? { region: { startLine: f.line, ...(f.column !== null ? { startColumn: f.column } : {}) } } : {}),
      },
    };
    if (f.resource) {
      const r = f.resource;
      location.logicalLocations = [{ fullyQualifiedName: `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}${f.path ? `#${f.path}` : ""}`, kind: "resource" }];
    }
    result.locations = [location];
  }
  return result;
}

/**
 * What identifies a finding apart from where its lines are: code, file,
 * resource and field path, and the message with any `file:line:column`
 * references (other positions it cites) blanked.
 */
function fingerprintOf(f: Finding): string {
  const r = f.resource;
  const identity = [
    f.code,
    f.file ?? "",
    r ? `${r.apiVersion.split("/").slice(0, -1).join("/")}|${r.kind}|${r.namespace ?? ""}|${r.name}` : "",
    f.path ?? "",
    f.message.replace(/:\d+(?::\d+)?\b/g, ":#"),
  ].join("\u0000");
  return createHash("sha256").update(identity).digest("hex").slice(0, 32);
}
