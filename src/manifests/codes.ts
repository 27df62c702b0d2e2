/**
 * The catalogue of input findings: problems found while loading and
 * validating manifests, before any routing is computed. Codes are stable;
 * messages are built where the finding is raised, titles and docs live here.
 */
import type { CodeInfo, FindingInput } from "../findings.js";
import { findingOf } from "../findings.js";

export type InputCode = CodeInfo;

export const inputCodes = {
  syntax: {
    code: "MP0001",
    title: "YAML syntax error",
    severity: "error",
    docs: "The document is not valid YAML (or JSON). It is skipped; the other documents of the file still load.",
    equivalents: [],
  },
  duplicateKey: {
    code: "MP0002",
    title: "Duplicate mapping key",
    severity: "error",
    docs:
      "A mapping declares the same key twice. kubectl rejects such objects (strict field validation); " +
      "meshplan keeps the last value so routing can still be computed.",
    equivalents: [],
  },
  notAnObject: {
    code: "MP0003",
    title: "Document is not a Kubernetes object",
    severity: "error",
    docs: "A document must be a mapping with apiVersion, kind and metadata.name, as kubectl requires.",
    equivalents: [],
  },
  aliasLimit: {
    code: "MP0004",
    title: "Too many YAML aliases",
    severity: "error",
    docs:
      "The document expands aliases beyond the configured limit (an alias bomb or a resource-exhaustion " +
      "attempt). The document is skipped.",
    equivalents: [],
  },
  fileTooLarge: {
    code: "MP0005",
    title: "File too large",
    severity: "error",
    docs: "The file is larger than the configured maximum size and is skipped.",
    equivalents: [],
  },
  invalidUtf8: {
    code: "MP0006",
    title: "File is not valid UTF-8",
    severity: "error",
    docs: "Manifests must be UTF-8 text (YAML 1.2 and kubectl). The file is skipped.",
    equivalents: [],
  },
  schemaViolation: {
    code: "MP0010",
    title: "Schema violation",
    severity: "error",
    docs:
      "A field has the wrong type or a required field is missing. The resource is left out of routing " +
      "until it is fixed, as the API server would reject it.",
    equivalents: ["IST0106"],
  },
  unknownVersion: {
    code: "MP0011",
    title: "Unknown API version",
    severity: "warning",
    docs: "The kind is known but not in this API version, so the API server would not serve it. The resource is ignored.",
    equivalents: [],
  },
  duplicateObject: {
    code: "MP0012",
    title: "Object declared twice",
    severity: "error",
    docs:
      "Two documents in the tree declare the same group, kind, namespace and name. kubectl apply would " +
      "apply both in order, so the later one silently replaces the earlier.",
    equivalents: [],
  },
} as const satisfies Record<string, InputCode>;

export type InputCodeName = keyof typeof inputCodes;

/** The FindingInput for a catalogue entry with a concrete message. */
export function inputFinding(entry: InputCode, message: string, hint?: string): FindingInput {
  return findingOf(entry, message, hint ? { hint } : {});
}
