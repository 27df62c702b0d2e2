/**
 * Findings about the organisational policies themselves: a policy file that
 * does not parse, a MeshPolicy that does not match its schema, a CEL
 * expression that does not compile, or one that fails while it is evaluated.
 * Findings of a policy's own validations carry the policy's name as their
 * code instead (see docs/policies.md).
 */
import type { CodeInfo } from "../../findings.js";

export const policyCodes = {
  unreadableFile: {
    code: "MP0030",
    title: "Policy file cannot be read",
    severity: "error",
    docs:
      "A file of a policy directory is not valid YAML (or JSON), is not UTF-8, repeats a key, or holds a document " +
      "that is not a Kubernetes-style object. The documents that cannot be read are not applied; the other " +
      "policies still are.",
    equivalents: [],
  },
  notAPolicy: {
    code: "MP0031",
    title: "Document is not a MeshPolicy",
    severity: "error",
    docs:
      "Every document in a policy directory must be a `policy.meshplan.io/v1alpha1` `MeshPolicy`. Another kind or " +
      "API version is not applied, so a policy that was meant to run would silently not run.",
    equivalents: [],
  },
  invalidPolicy: {
    code: "MP0032",
    title: "MeshPolicy does not match its schema",
    severity: "error",
    docs:
      "A field of the MeshPolicy is missing, misspelt or of the wrong type (docs/policies.md describes the format, " +
      "modelled on Kubernetes ValidatingAdmissionPolicy). The policy is not applied until it is fixed.",
    equivalents: [],
  },
  celSyntax: {
    code: "MP0033",
    title: "CEL expression does not parse",
    severity: "error",
    docs:
      "An `expression` or `messageExpression` is not valid CEL syntax (cel-spec langdef). The policy is not " +
      "applied until it is fixed.",
    equivalents: [],
  },
  celUndeclared: {
    code: "MP0034",
    title: "CEL expression names an unknown variable or function",
    severity: "error",
    docs:
      "An expression refers to a variable other than `object`, `oldObject`, `namespaceObject`, `routes` and " +
      "`params` (or a comprehension variable), or calls a function that neither CEL's standard library, its " +
      "strings extension nor meshplan's helpers define. The policy is not applied until it is fixed.",
    equivalents: [],
  },
  celType: {
    code: "MP0035",
    title: "CEL expression does not type-check",
    severity: "error",
    docs:
      "An operator or function is applied to values of types it has no overload for (`'a' + 1`, `size(true)`), " +
      "so the expression could never evaluate. The policy is not applied until it is fixed.",
    equivalents: [],
  },
  celResultType: {
    code: "MP0036",
    title: "CEL expression has the wrong result type",
    severity: "error",
    docs:
      "A validation `expression` must evaluate to a bool and a `messageExpression` to a string, as in Kubernetes " +
      "ValidatingAdmissionPolicy. An expression whose type is known to be something else is refused when the " +
      "policy loads; one that only turns out to be something else on a resource is reported as MP0038.",
    equivalents: [],
  },
  duplicatePolicy: {
    code: "MP0037",
    title: "Two policies have the same name",
    severity: "error",
    docs:
      "A policy's name is the code of its findings, so it must be unique across the policy directories. The " +
      "first policy with the name is applied; the later one is not.",
    equivalents: [],
  },
  evaluationError: {
    code: "MP0038",
    title: "Policy expression failed on a resource",
    severity: "error",
    docs:
      "A validation expression raised an error while it was evaluated on one resource (a missing field read " +
      "without `has()`, a division by zero, a value of an unexpected type) or did not evaluate to a bool. " +
      "Kubernetes fails closed in that case (failurePolicy Fail), so meshplan reports it on the policy, names " +
      "the resource, and goes on with the other resources and policies.",
    equivalents: [],
  },
  messageExpressionFailed: {
    code: "MP0039",
    title: "messageExpression failed on a resource",
    severity: "warning",
    docs:
      "A validation failed and its `messageExpression` raised an error, or returned something other than a " +
      "single-line non-empty string. As Kubernetes does, the finding uses the static `message` (or the " +
      "expression's text) instead; this finding says why the friendlier message is missing.",
    equivalents: [],
  },
} as const satisfies Record<string, CodeInfo>;

export type PolicyCodeName = keyof typeof policyCodes;
