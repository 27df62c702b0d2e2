/**
 * Findings -> check run annotations on the lines a pull request changes.
 * GitHub shows annotations in the diff; a finding on an untouched line would
 * land nowhere useful, so only findings in changed files at changed lines
 * (or anywhere in a file without a patch, e.g. a new file) are annotated.
 */
import type { Finding } from "../findings.js";
import type { AnnotationLevel, ChangedFile, CheckAnnotation } from "./ports.js";

const levels: Record<Finding["severity"], AnnotationLevel> = { error: "failure", warning: "warning", info: "notice" };

/** GitHub's limit for an annotation's message. */
const MAX_MESSAGE = 64 * 1024 - 1;

export function checkAnnotations(findings: readonly Finding[], changed: readonly ChangedFile[]): CheckAnnotation[] {
  const byPath = new Map(changed.filter((c) => c.status !== "removed").map((c) => [c.path, c.changedLines]));
  const out: CheckAnnotation[] = [];
  for (const f of findings) {
    if (!f.file || f.line === null) continue;
    const lines = byPath.get(f.file);
    if (lines === undefined) continue;
    if (lines !== "all" && !lines.has(f.line)) continue;
    const message = f.hint ? `${f.message}\n\nHow to fix: ${f.hint}` : f.message;
    out.push({
      path: f.file,
      startLine: f.line,
      endLine: f.line,
      level: levels[f.severity],
      title: `${f.code}${f.resource ? ` ${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ""}${f.resource.name}` : ""}`,
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
      ...(f.equivalents.length ? { rawDetails: `Equivalent to ${f.equivalents.join(", ")}` } : {}),
    });
  }
  return out;
}
