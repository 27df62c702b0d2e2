import type { VirtualService } from "../../../manifests/schemas/istio.js";
import type { LintRule } from "../../rule.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";

/**
 * Istio (pilot route.go, see src/routing/istio/weight-shares.ts): a rule with
 * one destination sends it all traffic and never reads its weight.
 */
export const singleDestinationWeight: LintRule = {
  code: "MP1013",
  title: "weight on a single destination is ignored",
  severity: "warning",
  docs:
    "A VirtualService route has one destination with a `weight` other than 100. Istio ignores the weight of a " +
    "lone destination and sends it 100% of the rule's traffic, so a partial rollout written this way (say " +
    "`weight: 10` to send 10%) sends everything. List the other destination(s) with their weights to split traffic.",
  equivalents: [],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    ctx.forEach<VirtualService>(VIRTUAL_SERVICE, (vs) => {
      const spec = vs.obj.spec ?? {};
      for (const protocol of ["http", "tcp", "tls"] as const) {
        (spec[protocol] ?? []).forEach((rule, i) => {
          const route = rule.route ?? [];
          const weight = route[0]?.weight;
          // 0 is proto3's "unset"; negative weights are MP1012.
          if (route.length !== 1 || weight === undefined || weight <= 0 || weight === 100) return;
          ctx.report(vs.res, ["spec", protocol, i, "route", 0, "weight"], `weight ${weight} on the only destination is ignored: it receives 100% of this rule's traffic`, {
            hint: "Remove the weight, or add the destination(s) that should receive the rest.",
          });
        });
      }
    });
  },
};
