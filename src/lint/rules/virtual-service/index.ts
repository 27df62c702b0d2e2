import type { LintRule } from "../../rule.js";

export const virtualServiceRules: readonly LintRule[] = [];
