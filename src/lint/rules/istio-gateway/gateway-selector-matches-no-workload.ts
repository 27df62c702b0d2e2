import type { LintRule } from "../../rule.js";
import { declaredGateways, fullName } from "./istio-gateways.js";
import { selectorString } from "./label-selectors.js";

/**
 * istioctl `gateway.IngressGatewayPortAnalyzer` (pkg/config/analysis/analyzers/gateway/gateway.go):
 * a Gateway whose `selector` matches no pod in any namespace is
 * ReferencedResourceNotFound (IST0101). Istio looks for gateway workloads in
 * every namespace, so this does too; the workloads are the tree's Pods and
 * pod templates.
 *
 * A repository often holds routing only and leaves the gateway installation to
 * istioctl or Helm, so a selector is judged only when the tree declares some
 * workload carrying every label key the selector names (`istio` for
 * `istio: ingressgateway`): then the gateway workloads are evidently managed
 * here and a selector matching none of them is a mistake. istioctl analyze
 * does the equivalent offline by assuming its default istio-ingressgateway.
 */
export const gatewaySelectorMatchesNoWorkload: LintRule = {
  code: "MP1040",
  title: "Gateway selector matches no workload",
  severity: "error",
  docs:
    "An Istio Gateway's `selector` matches no gateway Pod or Deployment in any namespace. Istio configures only the " +
    "proxies the selector picks, so the Gateway's servers are programmed nowhere and every VirtualService bound to it " +
    "receives no traffic. Checked when the tree declares workloads that carry the selector's label keys, i.e. when " +
    "the gateway deployments are managed in the same repository.",
  equivalents: ["IST0101"],
  // Schema-rejected Gateways are read too, so the rule cannot wait for a valid one to exist.
  kinds: [],
  check(ctx) {
    const gateways = declaredGateways(ctx.model);
    if (gateways.length === 0) return;
    for (const gw of gateways) {
      if (ctx.model.workloadsMatching(null, gw.selector).length > 0) continue;
      const keys = Object.keys(gw.selector);
      const managedHere = ctx.model.workloads.some((w) => keys.every((k) => Object.hasOwn(w.labels, k)));
      if (!managedHere) continue;
      const sel = selectorString(gw.selector);
      ctx.report(
        gw.res,
        ["spec", "selector"],
        `Gateway ${fullName(gw.res, gw.namespace)} selects no workload: no Pod or pod template in any namespace has the labels ${sel}, so its servers are programmed on no proxy`,
        { hint: `Fix the selector to the labels of the gateway Deployment (for the default ingress gateway: istio=ingressgateway).` },
      );
    }
  },
};
