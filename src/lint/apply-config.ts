/**
 * What a repository says about its findings: severity overrides and rules
 * turned off in meshplan.yaml, exemptions with a reason, and per-resource
 * `meshplan.io/ignore: "MP1001: reason"` annotations. Silenced findings are
 * kept (as `suppressed`) so reports can say how many were silenced and why.
 */
import { findingAt, findingInFile, type Finding } from "../findings.js";
import type { Resource } from "../manifests/types.js";
import { configCodes } from "../config/config-codes.js";
import type { LoadedConfig } from "../config/meshplan-config.js";

export const IGNORE_ANNOTATION = "meshplan.io/ignore";

export interface Suppressed {
  finding: Finding;
  reason: string;
  /** "annotation" or "meshplan.yaml". */
  by: "annotation" | "config";
}

export interface AppliedConfig {
  findings: Finding[];
  suppressed: Suppressed[];
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0]!) || !value.endsWith(parts[parts.length - 1]!)) return false;
  let at = parts[0]!.length;
  for (const mid of parts.slice(1, -1)) {
    const i = value.indexOf(mid, at);
    if (i < 0) return false;
    at = i + mid.length;
  }
  return at <= value.length - parts[parts.length - 1]!.length;
}

function resourceKey(r: { apiVersion: string; kind: string; namespace: string | null; name: string }, file: string | null): string {
  return `${file ?? ""}|${r.apiVersion}|${r.kind}|${r.namespace ?? ""}|${r.name}`;
}

interface Ignore {
  res: Resource;
  /** code -> reason */
  codes: Map<string, string>;
  used: Set<string>;
}

/** Parses `MP1001: reason; MP1002, MP1003: other reason` (entries separated by `;` or newlines). */
function parseIgnore(res: Resource, value: string, findings: Finding[]): Ignore {
  const codes = new Map<string, string>();
  const path = ["metadata", "annotations", IGNORE_ANNOTATION];
  for (const entry of value.split(/[;\n]/).map((e) => e.trim()).filter(Boolean)) {
    const colon = entry.indexOf(":");
    const names = (colon < 0 ? entry : entry.slice(0, colon)).split(",").map((c) => c.trim()).filter(Boolean);
    const reason = colon < 0 ? "" : entry.slice(colon + 1).trim();
    if (!reason) {
      findings.push(
        findingAt(res, path, {
          code: configCodes.suppressionWithoutReason.code,
          severity: configCodes.suppressionWithoutReason.severity,
          message: `${IGNORE_ANNOTATION} on ${res.kind} ${res.name} silences ${names.join(", ")} without a reason; it has no effect`,
          hint: `Write it as "${names[0] ?? "MP1001"}: why this is acceptable".`,
        }),
      );
      continue;
    }
    for (const c of names) codes.set(c, reason);
  }
  return { res, codes, used: new Set() };
}

export function applyConfig(
  findings: readonly Finding[],
  resources: readonly Resource[],
  loaded: LoadedConfig,
  knownCodes: ReadonlySet<string>,
): AppliedConfig {
  const { config } = loaded;
  const out: Finding[] = [];
  const suppressed: Suppressed[] = [];
  const extra: Finding[] = [];

  const configFinding = (path: (string | number)[], message: string) =>
    extra.push({
      ...findingInFile(loaded.file ?? "meshplan.yaml", loaded.locate(path), {
        code: configCodes.unknownCode.code,
        severity: configCodes.unknownCode.severity,
        message,
      }),
      path: path.join("."),
    });
  for (const code of Object.keys(config.rules)) {
    if (!knownCodes.has(code)) configFinding(["rules", code], `meshplan.yaml sets rule ${code}, which meshplan does not know; the setting has no effect`);
  }
  config.exemptions.forEach((e, i) =>
    e.codes.forEach((code, j) => {
      if (!knownCodes.has(code)) configFinding(["exemptions", i, "codes", j], `meshplan.yaml exempts ${code}, which meshplan does not know`);
    }),
  );

  const ignores = new Map<string, Ignore>();
  for (const res of resources) {
    const value = res.annotations[IGNORE_ANNOTATION];
    if (value === undefined) continue;
    const ig = parseIgnore(res, value, extra);
    for (const code of ig.codes.keys()) {
      if (!knownCodes.has(code)) {
        extra.push(
          findingAt(res, ["metadata", "annotations", IGNORE_ANNOTATION], {
            code: configCodes.unknownCode.code,
            severity: configCodes.unknownCode.severity,
            message: `${IGNORE_ANNOTATION} on ${res.kind} ${res.name} names ${code}, which meshplan does not know`,
          }),
        );
      }
    }
    ignores.set(resourceKey(res, res.file), ig);
  }

  for (const f of findings) {
    const setting = config.rules[f.code];
    if (setting === "off" || (typeof setting === "object" && setting.enabled === false)) continue;
    const severity = typeof setting === "string" ? setting : setting?.severity;
    const finding = severity && severity !== f.severity ? { ...f, severity } : f;

    const ig = f.resource ? ignores.get(resourceKey(f.resource, f.file)) : undefined;
    const reason = ig?.codes.get(f.code);
    if (ig && reason !== undefined) {
      ig.used.add(f.code);
      suppressed.push({ finding, reason, by: "annotation" });
      continue;
    }
    const exemption = config.exemptions.find(
      (e) =>
        e.codes.includes(f.code) &&
        (!e.namespaces || e.namespaces.some((p) => globMatches(p, f.resource?.namespace ?? ""))) &&
        (!e.kinds || e.kinds.some((p) => globMatches(p, f.resource?.kind ?? ""))) &&
        (!e.names || e.names.some((p) => globMatches(p, f.resource?.name ?? ""))) &&
        (!e.paths || e.paths.some((p) => globMatches(p, f.file ?? ""))),
    );
    if (exemption) {
      suppressed.push({ finding, reason: exemption.reason, by: "config" });
      continue;
    }
    out.push(finding);
  }

  for (const ig of ignores.values()) {
    for (const code of ig.codes.keys()) {
      if (ig.used.has(code) || !knownCodes.has(code)) continue;
      extra.push(
        findingAt(ig.res, ["metadata", "annotations", IGNORE_ANNOTATION], {
          code: configCodes.unusedSuppression.code,
          severity: configCodes.unusedSuppression.severity,
          message: `${IGNORE_ANNOTATION} on ${ig.res.kind} ${ig.res.name} silences ${code}, which this resource does not trigger`,
        }),
      );
    }
  }
  return { findings: [...out, ...extra], suppressed };
}
