import type { VirtualService } from "../../../manifests/schemas/istio.js";
import type { LintRule } from "../../rule.js";
import { routeShadowing } from "./route-shadowing.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/** Istio validation `analyzeUnreachableHTTPRules` (and TCP, TLS), VirtualServiceIneffectiveMatch; see route-shadowing.ts. */
export const ineffectiveMatch: LintRule = {
  code: "MP1010",
  title: "ineffective match",
  severity: "warning",
  docs:
    "A match block of a VirtualService rule repeats, or is covered by, an earlier match block (for example " +
    "`prefix: /api/v1/products` after `prefix: /api/v1/product` with the same other conditions). Rules are " +
    "evaluated in order and the first match wins, so the earlier block already takes every request this one " +
    "matches: the block never selects its rule, which usually means the rules are in the wrong order.",
  equivalents: ["IST0131"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      for (const m of routeShadowing(vs.obj, vs.namespace ?? ctx.model.defaultNamespace).ineffective) {
        ctx.report(vs.res, m.path, m.message, {
          hint: "Put the more specific rule first, or remove the match block.",
        });
      }
    });
  },
};
