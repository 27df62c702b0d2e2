import type { VirtualService } from "../../../manifests/schemas/istio.js";
import type { LintRule } from "../../rule.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/**
 * Istio validation `validateWeight`: a destination weight below 0 is an error,
 * so the VirtualService is rejected as a whole. (All weights 0 is the routing
 * engine's MP0205.)
 */
export const negativeWeight: LintRule = {
  code: "MP1012",
  title: "negative destination weight",
  severity: "error",
  docs:
    "A VirtualService route destination has a negative `weight`. Istio's validation rejects the whole " +
    "VirtualService (the API server refuses it when the validating webhook is installed; otherwise istiod " +
    "ignores it), so none of its routes apply and the hosts fall back to default routing.",
  equivalents: [],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const spec = vs.obj.spec ?? {};
      for (const protocol of ["http", "tcp", "tls"] as const) {
        (spec[protocol] ?? []).forEach((rule, i) => {
          (rule.route ?? []).forEach((entry, j) => {
            if (entry.weight === undefined || entry.weight >= 0) return;
            ctx.report(vs.res, ["spec", protocol, i, "route", j, "weight"], `weight ${entry.weight} is negative; Istio rejects this VirtualService`, {
              hint: "Weights are relative shares: use 0 or a positive number.",
            });
          });
        });
      }
    });
  },
};
