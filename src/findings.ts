/**
 * Findings: every problem meshplan reports, from a YAML syntax error to a
 * routing rule that can never match, is a value of this shape (DESIGN.md,
 * "Contracts"). Nothing throws to report a user's mistake.
 */
import type { FieldPath, ObjectRef, Resource } from "./manifests/types.js";

export type Severity = "error" | "warning" | "info";

/** Ranked so reports can compare: a higher rank is worse. */
export const severityRank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface Finding {
  /** Stable code: MP0xxx for input/parse problems, MP1xxx+ for analyzers. */
  code: string;
  severity: Severity;
  message: string;
  resource: ObjectRef | null;
  file: string | null;
  /** 1-based. */
  line: number | null;
  /** 1-based. */
  column: number | null;
  /** Dotted field path inside the resource, e.g. `spec.http[0].route[1].weight`. */
  path: string | null;
  /** Equivalent istioctl analyze (IST0101) or Kiali (KIA1101) codes. */
  equivalents: string[];
  /** What to change to fix it, when meshplan knows. */
  hint?: string;
}

/** `["spec","http",0,"route"]` -> `spec.http[0].route` */
export function formatPath(path: FieldPath): string {
  // Parts joined once: one flat string, where `+=` leaves a tree of pieces that routing tables would keep.
  const parts: string[] = [];
  for (const seg of path) {
    if (typeof seg === "number") parts.push("[", String(seg), "]");
    else parts.push(parts.length === 0 ? "" : ".", seg);
  }
  return parts.join("");
}

const refs = new WeakMap<Resource, ObjectRef>();

/** The object's reference; one per Resource, shared by every finding and routing origin that names it. */
export function refOf(res: Resource): ObjectRef {
  let ref = refs.get(res);
  if (!ref) {
    ref = Object.freeze({ apiVersion: res.apiVersion, kind: res.kind, namespace: res.namespace, name: res.name });
    refs.set(res, ref);
  }
  return ref;
}

/** What every finding code documents about itself (catalogues, docs/rules.md, SARIF rules). */
export interface CodeInfo {
  code: string;
  title: string;
  /** Default severity. */
  severity: Severity;
  /** One paragraph for docs/rules.md: what is wrong, what the data plane does with it. */
  docs: string;
  /** Equivalent istioctl analyze (IST0101) or Kiali (KIA1101) codes. */
  equivalents?: readonly string[];
}

export interface FindingInput {
  code: string;
  severity: Severity;
  message: string;
  equivalents?: string[];
  hint?: string;
}

/** The FindingInput for a catalogued code: its code, default severity and equivalents, with this message. */
export function findingOf(info: CodeInfo, message: string, options: { hint?: string; severity?: Severity } = {}): FindingInput {
  return {
    code: info.code,
    severity: options.severity ?? info.severity,
    message,
    equivalents: [...(info.equivalents ?? [])],
    ...(options.hint ? { hint: options.hint } : {}),
  };
}

/** A finding located at `path` inside `res` (the nearest existing ancestor if `path` is absent). */
export function findingAt(res: Resource, path: FieldPath, f: FindingInput): Finding {
  const pos = res.locate(path);
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    resource: refOf(res),
    file: res.file,
    line: pos.line,
    column: pos.column,
    path: path.length ? formatPath(path) : null,
    equivalents: f.equivalents ?? [],
    ...(f.hint ? { hint: f.hint } : {}),
  };
}

/** A finding about a file as a whole (no resource could be built). */
export function findingInFile(
  file: string,
  pos: { line: number; column: number } | null,
  f: FindingInput,
): Finding {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    resource: null,
    file,
    line: pos?.line ?? null,
    column: pos?.column ?? null,
    path: null,
    equivalents: f.equivalents ?? [],
    ...(f.hint ? { hint: f.hint } : {}),
  };
}

export function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
