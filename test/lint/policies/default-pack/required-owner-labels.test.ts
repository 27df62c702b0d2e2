import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf } from "./default-pack-policy.js";

const policy = defaultPackPolicy("required-owner-labels");

const destinationRule = (labels: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
${labels}spec:
  host: reviews
`;

describe("default pack: required-owner-labels", () => {
  it("passes routing objects labelled with owner and team", () => {
    assert.deepEqual(findingsOf(policy, { "dr.yaml": destinationRule("  labels:\n    owner: jane\n    team: payments\n") }), []);
  });

  it("warns at metadata.labels, naming each missing or empty label", () => {
    const findings = findingsOf(policy, { "dr.yaml": destinationRule("  labels:\n    owner: ' '\n    app: reviews\n") });
    assert.deepEqual(
      findings.map((f) => [f.severity, f.line, f.path, f.message]),
      [["warning", 6, "metadata.labels", "missing required label(s): owner, team"]],
    );
  });

  it("warns on an object without any labels", () => {
    const findings = findingsOf(policy, { "dr.yaml": destinationRule("") });
    assert.deepEqual(findings.map((f) => f.message), ["missing required label(s): owner, team"]);
  });

  it("applies to Ingress and SMI objects but not to workloads and Services", () => {
    const files = {
      "ingress.yaml": `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: shop, port: { number: 80 } } }
---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata:
  name: shop
  namespace: shop
spec:
  service: shop
  backends: [{ service: shop-v1, weight: 1 }]
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop
spec:
  selector: { app: shop }
  ports: [{ port: 80 }]
`,
    };
    assert.deepEqual(
      findingsOf(policy, files).map((f) => f.resource?.kind).sort(),
      ["Ingress", "TrafficSplit"],
    );
  });

  it("follows params.labels when an organisation uses other keys", () => {
    const custom = defaultPackPolicy("required-owner-labels", { labels: ["app.kubernetes.io/part-of"] });
    const findings = findingsOf(custom, { "dr.yaml": destinationRule("  labels:\n    owner: jane\n    team: payments\n") });
    assert.deepEqual(findings.map((f) => f.message), ["missing required label(s): app.kubernetes.io/part-of"]);
  });
});
