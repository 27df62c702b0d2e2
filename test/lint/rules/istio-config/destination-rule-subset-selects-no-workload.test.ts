import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { destinationRuleSubsetSelectsNoWorkload } from "../../../../src/lint/rules/istio-config/destination-rule-subset-selects-no-workload.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

const reviewsService = `apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  selector: { app: reviews }
  ports: [{ name: http, port: 9080 }]
`;

function deployment(name: string, namespace: string, labels: string, extraSpec = ""): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: ${labels} }
  template:
    metadata: { labels: ${labels} }
    spec:
      ${extraSpec}containers: [{ name: app, image: app:1 }]
`;
}

function destinationRule(host: string, subsets: string, namespace = "shop"): string {
  return `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: ${namespace} }
spec:
  host: ${host}
  subsets:
${subsets}
`;
}

describe("MP1074 DestinationRule subset selects no workload (istioctl IST0173)", () => {
  it("reports subset fake of destinationrule-subsets-not-select-pods.yaml, whose Service has no pods", () => {
    const findings = lintAnalyzerTestdata(destinationRuleSubsetSelectsNoWorkload, ["destinationrule-subsets-not-select-pods.yaml"]);
    assert.deepEqual(located(findings), ["DestinationRule default/subsets-not-select-pods spec.subsets[0].labels"]);
    assert.equal(findings[0]!.severity, "error");
    assert.deepEqual(findings[0]!.equivalents, ["IST0173", "KIA0203"]);
  });

  it("matches subsets on the locality labels of the pod's node (destinationrule-subsets-with-topology-labels.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(destinationRuleSubsetSelectsNoWorkload, ["destinationrule-subsets-with-topology-labels.yaml"]), []);
  });

  it("does not match an empty node region (destinationrule-empty-topology-labels.yaml)", () => {
    const findings = lintAnalyzerTestdata(destinationRuleSubsetSelectsNoWorkload, ["destinationrule-empty-topology-labels.yaml"]);
    assert.deepEqual(located(findings), ["DestinationRule default/empty-topology-labels spec.subsets[0].labels"]);
    assert.match(findings[0]!.message, /subset empty-region/);
  });

  it("leaves a DestinationRule whose host is unknown to MP1075 (destinationrule-with-fake-host.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(destinationRuleSubsetSelectsNoWorkload, ["destinationrule-with-fake-host.yaml"]), []);
  });

  const cases: { name: string; yaml: string; reported: string[] }[] = [
    {
      name: "subsets matched by the pod templates of Deployments in the repository",
      yaml:
        reviewsService +
        deployment("reviews-v1", "shop", "{ app: reviews, version: v1 }") +
        deployment("reviews-v2", "shop", "{ app: reviews, version: v2 }") +
        destinationRule("reviews", "  - { name: v1, labels: { version: v1 } }\n  - { name: v2, labels: { version: v2 } }\n  - { name: v3, labels: { version: v3 } }"),
      reported: ["DestinationRule shop/reviews spec.subsets[2].labels"],
    },
    {
      name: "a pod with the subset labels that the Service does not select",
      yaml: reviewsService + deployment("ratings-v1", "shop", "{ app: ratings, version: v1 }") + destinationRule("reviews", "  - { name: v1, labels: { version: v1 } }"),
      reported: ["DestinationRule shop/reviews spec.subsets[0].labels"],
    },
    {
      name: "a pod with the Service's labels in another namespace",
      yaml: reviewsService + deployment("reviews-v1", "other", "{ app: reviews, version: v1 }") + destinationRule("reviews", "  - { name: v1, labels: { version: v1 } }"),
      reported: ["DestinationRule shop/reviews spec.subsets[0].labels"],
    },
    {
      name: "a subset without labels on a Service with pods",
      yaml: reviewsService + deployment("reviews-v1", "shop", "{ app: reviews, version: v1 }") + destinationRule("reviews", "  - { name: all }"),
      reported: [],
    },
    {
      name: "a subset matching the node name through kubernetes.io/hostname",
      yaml:
        reviewsService +
        deployment("reviews-v1", "shop", "{ app: reviews }", "nodeName: node-a\n      ") +
        destinationRule("reviews", "  - { name: on-a, labels: { kubernetes.io/hostname: node-a } }"),
      reported: [],
    },
    {
      name: "a subset named twice, checked once with its last labels",
      yaml:
        reviewsService +
        deployment("reviews-v1", "shop", "{ app: reviews, version: v1 }") +
        destinationRule("reviews", "  - { name: v1, labels: { version: v9 } }\n  - { name: v1, labels: { version: v1 } }"),
      reported: [],
    },
  ];
  for (const c of cases) {
    it(`${c.reported.length ? "reports" : "accepts"} ${c.name}`, () => {
      assert.deepEqual(located(lintYaml(destinationRuleSubsetSelectsNoWorkload, { "shop.yaml": c.yaml })), c.reported);
    });
  }

  describe("ServiceEntry hosts", () => {
    const workloadEntry = `---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: vm-1, namespace: shop }
spec: { address: 10.0.0.7, labels: { app: legacy, version: v1 } }
`;
    const entry = (spec: string) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: legacy, namespace: shop }
spec:
  hosts: [legacy.shop.internal]
  ports: [{ number: 80, name: http, protocol: HTTP }]
${spec}
`;
    it("matches subsets against the WorkloadEntries a workloadSelector selects", () => {
      const yaml =
        entry("  resolution: STATIC\n  workloadSelector: { labels: { app: legacy } }") +
        workloadEntry +
        destinationRule("legacy.shop.internal", "  - { name: v1, labels: { version: v1 } }\n  - { name: v2, labels: { version: v2 } }");
      assert.deepEqual(located(lintYaml(destinationRuleSubsetSelectsNoWorkload, { "legacy.yaml": yaml })), ["DestinationRule shop/reviews spec.subsets[1].labels"]);
    });

    it("matches subsets against the labels of listed endpoints", () => {
      const yaml =
        entry("  resolution: STATIC\n  endpoints:\n  - { address: 10.0.0.8, labels: { version: v2 } }") +
        destinationRule("legacy.shop.internal", "  - { name: v1, labels: { version: v1 } }\n  - { name: v2, labels: { version: v2 } }");
      assert.deepEqual(located(lintYaml(destinationRuleSubsetSelectsNoWorkload, { "legacy.yaml": yaml })), ["DestinationRule shop/reviews spec.subsets[0].labels"]);
    });

    it("does not judge subsets of a resolution NONE entry, which forwards to the original destination", () => {
      const yaml = entry("  resolution: NONE") + destinationRule("legacy.shop.internal", "  - { name: v1, labels: { version: v1 } }");
      assert.deepEqual(lintYaml(destinationRuleSubsetSelectsNoWorkload, { "legacy.yaml": yaml }), []);
    });
  });
});
