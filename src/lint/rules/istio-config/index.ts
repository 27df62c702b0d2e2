import type { LintRule } from "../../rule.js";

export const istioConfigRules: readonly LintRule[] = [];
