import type { VirtualService } from "../../../manifests/schemas/istio.js";
import type { LintRule } from "../../rule.js";
import { routeShadowing } from "./route-shadowing.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/** Istio validation `analyzeUnreachableHTTPRules` (and TCP, TLS), VirtualServiceUnreachableRule; see route-shadowing.ts. */
export const unreachableRule: LintRule = {
  code: "MP1009",
  title: "unreachable rule",
  severity: "warning",
  docs:
    "A VirtualService rule comes after a rule without match conditions, or every one of its match blocks repeats " +
    "a block of an earlier rule. Istio evaluates rules in order and the first match wins, so the earlier rule " +
    "takes every request this one could match: its destinations, retries, faults and rewrites never apply.",
  equivalents: ["IST0130"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      for (const u of routeShadowing(vs.obj, vs.namespace ?? ctx.model.defaultNamespace).unreachable) {
        ctx.report(vs.res, u.path, u.message, {
          hint: "Move the rule before the rule that shadows it, give it a narrower match, or delete it.",
        });
      }
    });
  },
};
