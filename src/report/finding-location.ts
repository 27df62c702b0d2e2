import { severityRank, sortFindings, type Finding } from "../findings.js";

/** `networking/reviews.yaml:12:7`, as editors and CI annotations link it; null when the finding has no file. */
export function findingLocation(f: Finding, withColumn = true): string | null {
  if (!f.file) return null;
  if (f.line === null) return f.file;
  return withColumn && f.column !== null ? `${f.file}:${f.line}:${f.column}` : `${f.file}:${f.line}`;
}

/** Worst first, then by file and position. */
export function bySeverityThenLocation(fs: readonly Finding[]): Finding[] {
  return sortFindings([...fs]).sort((a, b) => severityRank[b.severity] - severityRank[a.severity]);
}

/** Head findings that are not new, paired by value so a report read back from JSON works the same. */
export function existingFindings(all: readonly Finding[], fresh: readonly Finding[]): Finding[] {
  const pending = new Map<string, number>();
  for (const f of fresh) pending.set(JSON.stringify(f), (pending.get(JSON.stringify(f)) ?? 0) + 1);
  return all.filter((f) => {
    const k = JSON.stringify(f);
    const n = pending.get(k) ?? 0;
    if (n === 0) return true;
    pending.set(k, n - 1);
    return false;
  });
}
