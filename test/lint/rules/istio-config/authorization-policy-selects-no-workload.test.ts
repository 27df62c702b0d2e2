import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authorizationPolicySelectsNoWorkload } from "../../../../src/lint/rules/istio-config/authorization-policy-selects-no-workload.js";
import { lintAnalyzerTestdata, lintYaml, located, meshConfigMap } from "./lint.js";

function namespace(name: string, labels: string): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;
}

function deployment(ns: string, labels: string, annotations = "{}"): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${ns} }
spec:
  selector: { matchLabels: ${labels} }
  template:
    metadata: { labels: ${labels}, annotations: ${annotations} }
    spec:
      containers: [{ name: web, image: web:1 }]
`;
}

function policy(ns: string, spec: string, name = "p"): string {
  return `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec: ${spec}
`;
}

describe("MP1079 AuthorizationPolicy selects no workload (istioctl IST0127)", () => {
  it("reports the four policies of authorizationpolicies.yaml that no mesh pod matches", () => {
    const findings = lintAnalyzerTestdata(authorizationPolicySelectsNoWorkload, ["authorizationpolicies.yaml"]);
    assert.deepEqual(located(findings), [
      "AuthorizationPolicy httpbin-empty/httpbin-empty-namespace-wide metadata.namespace",
      "AuthorizationPolicy httpbin/httpbin-nopods spec.selector",
      "AuthorizationPolicy istio-system/meshwide-httpbin-v1 spec.selector",
      "AuthorizationPolicy test-ambient/no-workload spec.selector",
    ]);
    assert.ok(findings.every((f) => f.severity === "warning" && f.equivalents[0] === "IST0127"));
  });

  const injected = namespace("shop", "{ istio-injection: enabled }");
  const cases: { name: string; yaml: string; reported: boolean }[] = [
    {
      name: "a policy whose selector matches a Deployment's pod template in an injected namespace",
      yaml: injected + deployment("shop", "{ app: web }") + policy("shop", "{ selector: { matchLabels: { app: web } } }"),
      reported: false,
    },
    {
      name: "a policy whose selector matches pods without a sidecar",
      yaml: namespace("shop", "{}") + deployment("shop", "{ app: web }") + policy("shop", "{ selector: { matchLabels: { app: web } } }"),
      reported: true,
    },
    {
      name: "a policy whose selector matches pods that opt out of injection",
      yaml: injected + deployment("shop", "{ app: web }", '{ sidecar.istio.io/inject: "false" }') + policy("shop", "{ selector: { matchLabels: { app: web } } }"),
      reported: true,
    },
    {
      name: "a policy in a namespace enrolled in ambient mode",
      yaml: namespace("shop", "{ istio.io/dataplane-mode: ambient }") + deployment("shop", "{ app: web }") + policy("shop", "{ selector: { matchLabels: { app: web } } }"),
      reported: false,
    },
    {
      name: "a namespace-wide policy in a namespace with mesh workloads",
      yaml: injected + deployment("shop", "{ app: web }") + policy("shop", "{}"),
      reported: false,
    },
    {
      name: "a selector matching mesh workloads of another namespace only",
      yaml: injected + deployment("shop", "{ app: web }") + policy("books", "{ selector: { matchLabels: { app: web } } }"),
      reported: true,
    },
    {
      name: "a mesh-wide policy in the root namespace selecting workloads anywhere",
      yaml: injected + deployment("shop", "{ app: web }") + policy("istio-system", "{ selector: { matchLabels: { app: web } } }"),
      reported: false,
    },
    {
      name: "a policy attached to a waypoint with targetRefs",
      yaml: policy("books", "{ targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }] }"),
      reported: false,
    },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "accepts"} ${c.name}`, () => {
      assert.equal(lintYaml(authorizationPolicySelectsNoWorkload, { "shop.yaml": c.yaml }).length, c.reported ? 1 : 0);
    });
  }

  it("takes the root namespace from the MeshConfig in ConfigMap istio-system/istio", () => {
    const tree = injected + deployment("shop", "{ app: web }") + policy("mesh-root", "{ selector: { matchLabels: { app: web } } }");
    assert.equal(lintYaml(authorizationPolicySelectsNoWorkload, { "shop.yaml": tree }).length, 1);
    assert.deepEqual(lintYaml(authorizationPolicySelectsNoWorkload, { "shop.yaml": tree, "mesh.yaml": meshConfigMap("rootNamespace: mesh-root") }), []);
  });
});
