import type { LintRule } from "../../rule.js";

export const generalRules: readonly LintRule[] = [];
