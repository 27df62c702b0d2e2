import type { DestinationRule } from "../../../manifests/schemas/istio.js";
import { hostMatches, resolveIstioHost } from "../../../mesh/hosts.js";
import type { LintRule } from "../../rule.js";
import { destinationHostIndex } from "./destination-rule-host.js";

const DESTINATION_RULE = "networking.istio.io/DestinationRule" as const;

/**
 * istioctl destinationrule.PodNotSelectedAnalyzer, IST0174 UnknownDestinationRuleHost
 * (pkg/config/analysis/analyzers/destinationrule/subset.go).
 */
export const destinationRuleHostUnknown: LintRule = {
  code: "MP1075",
  title: "DestinationRule host matches no service",
  severity: "warning",
  docs:
    "A DestinationRule applies to the service its `host` names. When no Kubernetes Service or ServiceEntry visible to " +
    "the rule's namespace has that host (a typo, a short name resolved in the wrong namespace, a service that was " +
    "removed or is not exported there), its traffic policy and subsets apply to nothing: load balancing, TLS and " +
    "circuit breaking silently stay at their defaults. Hosts listed in `externalHosts` of meshplan.yaml are managed " +
    "elsewhere and not reported.",
  equivalents: ["IST0174", "KIA0202"],
  kinds: [DESTINATION_RULE],
  check(ctx) {
    const index = destinationHostIndex(ctx.model);
    ctx.forEach<DestinationRule>(DESTINATION_RULE, (rule) => {
      const spec = rule.obj.spec;
      if (!spec || index.lookup(rule)) return;
      const ns = rule.namespace ?? ctx.model.defaultNamespace;
      const host = resolveIstioHost(spec.host, ns, ctx.model.clusterDomain);
      if (ctx.options.externalHosts.some((pattern) => hostMatches(pattern, host) || hostMatches(host, pattern))) return;
      ctx.report(
        rule.res,
        ["spec", "host"],
        `DestinationRule ${ns}/${rule.res.name} host \`${spec.host}\`` +
          (host !== spec.host ? ` (${host})` : "") +
          ` matches no Service or ServiceEntry visible in namespace ${ns}; its traffic policy and subsets apply to nothing`,
        {
          hint: spec.host.includes(".")
            ? "Check the host name, or list it in externalHosts of meshplan.yaml if it is managed outside this repository."
            : `A short host resolves in the rule's namespace (${host}); write the service's full name if it lives elsewhere.`,
        },
      );
    });
  },
};
