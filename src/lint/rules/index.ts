import type { LintRule } from "../rule.js";
import { generalRules } from "./general/index.js";
import { istioConfigRules } from "./istio-config/index.js";
import { istioGatewayRules } from "./istio-gateway/index.js";
import { virtualServiceRules } from "./virtual-service/index.js";

/** Every built-in rule, ordered by code. */
export const builtinRules: readonly LintRule[] = [...virtualServiceRules, ...istioGatewayRules, ...istioConfigRules, ...generalRules].sort((a, b) =>
  a.code.localeCompare(b.code),
);
