import type { DestinationRule } from "../../../manifests/schemas/istio.js";
import type { Labels, MeshModel } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { destinationHostIndex, type DestinationHost } from "./destination-rule-host.js";
import { endpointLabels, nodeLabelsOf, selects, type NodeLabels } from "./workload-labels.js";

const DESTINATION_RULE = "networking.istio.io/DestinationRule" as const;

/**
 * istioctl destinationrule.PodNotSelectedAnalyzer, IST0173 DestinationRuleSubsetNotSelectPods
 * (pkg/config/analysis/analyzers/destinationrule/subset.go).
 *
 * istioctl matches the subset labels against every Pod of the cluster.
 * meshplan reads the workloads in the tree (Pods and pod templates) and,
 * where it knows them, only the host's own endpoints, as the data plane
 * does: the pods the Service selects in its namespace, the pods and
 * WorkloadEntries a ServiceEntry's `workloadSelector` selects in its
 * namespace, or a ServiceEntry's `endpoints`. For a Service without a
 * selector (its endpoints are managed elsewhere) it falls back to istioctl's
 * view: any workload in the tree.
 */
export const destinationRuleSubsetSelectsNoWorkload: LintRule = {
  code: "MP1074",
  title: "DestinationRule subset selects no workload",
  severity: "error",
  docs:
    "A DestinationRule subset is the part of a service's endpoints whose labels include the subset's labels (plus " +
    "the locality labels Istio adds from the node). When no endpoint of the host carries them, the subset's Envoy " +
    "cluster is empty: every request a VirtualService routes to that subset fails with 503 UH (no healthy " +
    "upstream). Usually a label value in the subset does not match the `version` (or other) label of the pods.",
  equivalents: ["IST0173", "KIA0203"],
  kinds: [DESTINATION_RULE],
  check(ctx) {
    const hosts = destinationHostIndex(ctx.model);
    const nodes = nodeLabelsOf(ctx.model);
    ctx.forEach<DestinationRule>(DESTINATION_RULE, (rule) => {
      const subsets = rule.obj.spec?.subsets ?? [];
      if (subsets.length === 0) return;
      const target = hosts.lookup(rule);
      // An unknown host is MP1075; a wildcard host has no single set of endpoints.
      if (!target || target.host.startsWith("*") || rule.obj.spec!.host.startsWith("*")) return;
      const endpoints = endpointsOf(ctx.model, target, nodes);
      if (endpoints === "unknown") return;
      // istioctl keys subsets by name: a repeated name is checked once, with its last definition.
      const byName = new Map<string, number>();
      subsets.forEach((s, i) => byName.set(s.name, i));
      for (const index of [...byName.values()].sort((a, b) => a - b)) {
        const subset = subsets[index]!;
        const labels = subset.labels ?? {};
        if (endpoints.some((e) => selects(labels, e))) continue;
        const ns = rule.namespace ?? ctx.model.defaultNamespace;
        ctx.report(
          rule.res,
          ["spec", "subsets", index, ...(subset.labels ? ["labels"] : [])],
          `subset ${subset.name} of DestinationRule ${ns}/${rule.res.name} (${describe(labels)}) selects no ` +
            `${endpointNoun(target)} of ${target.host}; requests routed to it fail with 503 (no healthy upstream)`,
          { hint: "Make the subset labels match the labels of the pods that should receive its traffic." },
        );
      }
    });
  },
};

/** Label sets of the host's endpoints; "unknown" when they cannot be known from the tree. */
function endpointsOf(model: MeshModel, target: DestinationHost, nodes: NodeLabels): Labels[] | "unknown" {
  if (target.kind === "service") {
    const svc = target.service;
    if (svc.type === "ExternalName") return "unknown";
    const workloads = svc.selector === null ? model.workloads : svc.workloads;
    return workloads.map((w) => endpointLabels(w, nodes));
  }
  const entry = target.entry;
  const spec = entry.obj.spec;
  const ns = entry.namespace ?? model.defaultNamespace;
  const selector = spec?.workloadSelector?.labels;
  if (selector) {
    const pods = model.workloadsMatching(ns, selector).map((w) => endpointLabels(w, nodes));
    return [...pods, ...workloadEntryLabels(model, ns, selector)];
  }
  if (spec?.endpoints?.length) return spec.endpoints.map((e) => e.labels ?? {});
  const resolution = spec?.resolution ?? "NONE";
  // DNS resolution without endpoints: the hosts themselves are the endpoints, with no labels.
  if (resolution === "DNS" || resolution === "DNS_ROUND_ROBIN") return [{}];
  // NONE forwards to the original destination and STATIC without endpoints has none: nothing to select from.
  return resolution === "STATIC" ? [] : "unknown";
}

/** WorkloadEntries of `namespace` whose labels include `selector` (ServiceEntry workloadSelector). */
function workloadEntryLabels(model: MeshModel, namespace: string, selector: Labels): Labels[] {
  const out: Labels[] = [];
  for (const we of model.list<unknown>("networking.istio.io/WorkloadEntry")) {
    if ((we.namespace ?? model.defaultNamespace) !== namespace) continue;
    const spec = (we.res.object["spec"] ?? {}) as Record<string, unknown>;
    const raw = spec["labels"];
    const labels: Labels = {};
    if (raw && typeof raw === "object") for (const [k, v] of Object.entries(raw)) if (typeof v === "string") labels[k] = v;
    if (selects(selector, labels)) out.push(labels);
  }
  return out;
}

function endpointNoun(target: DestinationHost): string {
  return target.kind === "serviceEntry" && !target.entry.obj.spec?.workloadSelector ? "endpoint" : "workload";
}

function describe(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(", ") : "no labels";
}

