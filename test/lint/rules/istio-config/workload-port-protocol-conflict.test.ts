import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { workloadPortProtocolConflict } from "../../../../src/lint/rules/istio-config/workload-port-protocol-conflict.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

const injectedNamespace = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
`;

function workload(kind: string, templateMeta = "labels: { app: cart }"): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata: { name: cart, namespace: shop }
spec:
  selector: { matchLabels: { app: cart } }
  template:
    metadata: { ${templateMeta} }
    spec:
      containers: [{ name: cart, image: cart:1 }]
`;
}

function service(name: string, port: string): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { app: cart }
  ports: [${port}]
`;
}

describe("MP1072 Services selecting one workload give a port different protocols (istioctl IST0116)", () => {
  it("reports the two deployments of deployment-multi-service.yaml whose Services disagree on 9080", () => {
    const findings = lintAnalyzerTestdata(workloadPortProtocolConflict, ["deployment-multi-service.yaml"]);
    assert.deepEqual(located(findings), [
      "Deployment bookinfo/multiple-svc-multiple-prot spec.template.metadata.labels",
      "Deployment bookinfo/multiple-without-port spec.template.metadata.labels",
    ]);
    assert.match(findings[0]!.message, /port 9080 with different protocols \(bookinfo\/details-http-v1: HTTP; bookinfo\/details-tcp-v1: TCP\)/);
  });

  it("ignores Services of another namespace (deployment-multi-service-different-ns.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(workloadPortProtocolConflict, ["deployment-multi-service-different-ns.yaml"]), []);
  });

  it("ignores Services without a selector (deployment-service-no-selector.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(workloadPortProtocolConflict, ["deployment-service-no-selector.yaml"]), []);
  });

  const cases: { name: string; files: string[]; reported: number }[] = [
    {
      name: "a Deployment behind a TCP and a UDP Service on port 53",
      files: [injectedNamespace, workload("Deployment"), service("dns-tcp", "{ name: tcp-dns, port: 53 }"), service("dns-udp", "{ name: udp-dns, port: 53, protocol: UDP }")],
      reported: 1,
    },
    {
      name: "a StatefulSet behind Services that disagree",
      files: [injectedNamespace, workload("StatefulSet"), service("a", "{ name: tcp, port: 53 }"), service("b", "{ name: udp, port: 53, protocol: UDP }")],
      reported: 1,
    },
    {
      name: "an unset protocol and TCP (Kubernetes defaults to TCP)",
      files: [injectedNamespace, workload("Deployment"), service("a", "{ name: tcp-a, port: 9000 }"), service("b", "{ name: tcp-b, port: 9000, protocol: TCP }")],
      reported: 0,
    },
    {
      name: "a workload whose pods opt out of injection",
      files: [
        injectedNamespace,
        workload("Deployment", 'labels: { app: cart }, annotations: { sidecar.istio.io/inject: "false" }'),
        service("a", "{ name: tcp, port: 53 }"),
        service("b", "{ name: udp, port: 53, protocol: UDP }"),
      ],
      reported: 0,
    },
    {
      name: "a workload in a namespace without injection",
      files: [workload("Deployment"), service("a", "{ name: tcp, port: 53 }"), service("b", "{ name: udp, port: 53, protocol: UDP }")],
      reported: 0,
    },
    {
      name: "a workload injected through its istio.io/rev label",
      files: [workload("Deployment", "labels: { app: cart, istio.io/rev: canary }"), service("a", "{ name: tcp, port: 53 }"), service("b", "{ name: udp, port: 53, protocol: UDP }")],
      reported: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "does not report"} ${c.name}`, () => {
      assert.equal(lintYaml(workloadPortProtocolConflict, { "shop.yaml": c.files.join("---\n") }).length, c.reported);
    });
  }
});
