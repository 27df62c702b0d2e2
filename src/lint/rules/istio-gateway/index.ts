import type { LintRule } from "../../rule.js";

export const istioGatewayRules: readonly LintRule[] = [];
