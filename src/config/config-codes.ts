/** Findings about meshplan's own configuration: meshplan.yaml and suppression annotations. */
import type { CodeInfo } from "../findings.js";

export const configCodes = {
  invalidConfig: {
    code: "MP0020",
    title: "meshplan.yaml is invalid",
    severity: "error",
    docs:
      "meshplan.yaml does not parse or does not match its schema (see docs/configuration.md). meshplan reports " +
      "the field and falls back to the defaults for that setting, so the rest of the check still runs.",
    equivalents: [],
  },
  suppressionWithoutReason: {
    code: "MP0021",
    title: "Suppression without a reason",
    severity: "error",
    docs:
      'A `meshplan.io/ignore` annotation must give a reason for every code it silences ("MP1001: payments is ' +
      'routed by another team"). A suppression without one is ignored, and this finding says so.',
    equivalents: [],
  },
  unknownCode: {
    code: "MP0022",
    title: "Unknown finding code in configuration",
    severity: "warning",
    docs:
      "meshplan.yaml or a `meshplan.io/ignore` annotation names a code that no built-in rule, engine or " +
      "policy reports, usually a typo; the setting has no effect.",
    equivalents: [],
  },
  unusedSuppression: {
    code: "MP0023",
    title: "Suppression matches nothing",
    severity: "info",
    docs:
      "A `meshplan.io/ignore` annotation silences a code that the resource does not trigger (any more). Remove it " +
      "so it cannot hide a future problem.",
    equivalents: [],
  },
  configChanged: {
    code: "MP0024",
    title: "Check configuration changed in this change",
    severity: "info",
    docs:
      "The head revision changes meshplan.yaml or the policies. A change is always checked with the rules of its " +
      "base revision, so the new settings take effect after merge; the plan previews what they would report.",
    equivalents: [],
  },
} as const satisfies Record<string, CodeInfo>;
