import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { workloadTargetPortConflict } from "../../../../src/lint/rules/istio-config/workload-target-port-conflict.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

const meshWorkload = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: cart, namespace: shop }
spec:
  selector: { matchLabels: { app: cart } }
  template:
    metadata: { labels: { app: cart } }
    spec:
      containers: [{ name: cart, image: cart:1 }]
`;

function service(name: string, port: string): string {
  return `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { app: cart }
  ports: [${port}]
`;
}

describe("MP1073 Services send different ports to one target port of a workload (istioctl IST0137)", () => {
  it("reports conflicting-ports of deployment-multi-service.yaml, whose Services send 9080 and 9090 to targetPort 9080", () => {
    const findings = lintAnalyzerTestdata(workloadTargetPortConflict, ["deployment-multi-service.yaml"]);
    assert.deepEqual(located(findings), ["Deployment bookinfo/conflicting-ports spec.template.metadata.labels"]);
    assert.match(findings[0]!.message, /Services bookinfo\/conflicting-ports-1, bookinfo\/conflicting-ports-2 that send ports 9080, 9090 to the same targetPort 9080/);
  });

  it("ignores Services of another namespace (deployment-multi-service-different-ns.yaml)", () => {
    assert.deepEqual(lintAnalyzerTestdata(workloadTargetPortConflict, ["deployment-multi-service-different-ns.yaml"]), []);
  });

  const cases: { name: string; services: string; reported: boolean }[] = [
    {
      name: "an unset targetPort that defaults to the same port another Service targets",
      services: service("a", "{ name: http, port: 8080 }") + service("b", "{ name: http-alt, port: 80, targetPort: 8080 }"),
      reported: true,
    },
    {
      name: "two Services using the same port and targetPort",
      services: service("a", "{ name: http, port: 80, targetPort: 8080 }") + service("b", "{ name: http, port: 80, targetPort: 8080 }"),
      reported: false,
    },
    {
      name: "a named targetPort and a numeric one (not known to be the same container port)",
      services: service("a", "{ name: http, port: 80, targetPort: web }") + service("b", "{ name: http-alt, port: 81, targetPort: 8080 }"),
      reported: false,
    },
    {
      name: "two Services targeting the same named port from different ports",
      services: service("a", "{ name: http, port: 80, targetPort: web }") + service("b", "{ name: http-alt, port: 81, targetPort: web }"),
      reported: true,
    },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "does not report"} ${c.name}`, () => {
      assert.equal(lintYaml(workloadTargetPortConflict, { "shop.yaml": meshWorkload + c.services }).length, c.reported ? 1 : 0);
    });
  }
});
