import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectorOnKubernetesGateway as rule } from "../../../../src/lint/rules/istio-gateway/selector-on-kubernetes-gateway.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";

function kubernetesGateway(className: string, extra = ""): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: bookinfo-gateway, namespace: shop }
spec:
  gatewayClassName: ${className}
  listeners: [{ name: http, port: 80, protocol: HTTP }]
${extra}`;
}

function authorizationPolicy(spec: string, namespace = "shop"): string {
  return `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: gw-policy, namespace: ${namespace} }
spec:
${spec}
  action: DENY
  rules: [{ to: [{ operation: { paths: ["/admin*"] } }] }]
`;
}

const bySelector = "  selector: { matchLabels: { gateway.networking.k8s.io/gateway-name: bookinfo-gateway } }";

describe("MP1043 workload selector on a Kubernetes Gateway (istioctl k8sgateway.SelectorAnalyzer, IST0166)", () => {
  it("reports the four selector-only policies of k8sgateway-selector.yaml, not the one with targetRef", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/k8sgateway-selector.yaml"]);
    assert.deepEqual(subjects(findings), [
      "AuthorizationPolicy default/ap-ineffective spec.selector",
      "RequestAuthentication default/ra-ineffective spec.selector",
      "Telemetry default/telemetry-ineffective spec.selector",
      "WasmPlugin default/wasmplugin-ineffective spec.selector",
    ]);
    assert.ok(findings.every((f) => f.severity === "warning" && f.equivalents.join() === "IST0166"));
    assert.match(findings[0]!.message, /Kubernetes Gateway default\/bookinfo-gateway/);
  });

  it("stands an Istio-class Gateway in the tree for the pods Istio deploys for it", () => {
    const findings = lintYaml(rule, { "gw.yaml": kubernetesGateway("istio"), "ap.yaml": authorizationPolicy(bySelector) });
    assert.deepEqual(subjects(findings), ["AuthorizationPolicy shop/gw-policy spec.selector"]);
    assert.match(findings[0]!.hint ?? "", /targetRefs/);
  });

  it("reads spec.infrastructure.labels as labels of those pods", () => {
    const findings = lintYaml(rule, {
      "gw.yaml": kubernetesGateway("istio", "  infrastructure: { labels: { team: storefront } }"),
      "ap.yaml": authorizationPolicy("  selector: { matchLabels: { team: storefront } }"),
    });
    assert.deepEqual(subjects(findings), ["AuthorizationPolicy shop/gw-policy spec.selector"]);
  });

  it("recognises a custom GatewayClass of Istio's controller", () => {
    const gatewayClass = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: edge }
spec: { controllerName: istio.io/gateway-controller }
`;
    const findings = lintYaml(rule, { "class.yaml": gatewayClass, "gw.yaml": kubernetesGateway("edge"), "ap.yaml": authorizationPolicy(bySelector) });
    assert.equal(findings.length, 1);
  });

  const quiet: { name: string; files: Record<string, string> }[] = [
    { name: "a Gateway of another implementation", files: { "gw.yaml": kubernetesGateway("nginx"), "ap.yaml": authorizationPolicy(bySelector) } },
    {
      name: "a manually deployed Gateway (spec.addresses)",
      files: { "gw.yaml": kubernetesGateway("istio", "  addresses: [{ type: Hostname, value: gw.shop.svc.cluster.local }]"), "ap.yaml": authorizationPolicy(bySelector) },
    },
    {
      name: "a policy attached with targetRefs",
      files: { "gw.yaml": kubernetesGateway("istio"), "ap.yaml": authorizationPolicy("  targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: bookinfo-gateway }]") },
    },
    { name: "a policy in another namespace", files: { "gw.yaml": kubernetesGateway("istio"), "ap.yaml": authorizationPolicy(bySelector, "other") } },
    {
      name: "a selector that matches other pods only",
      files: { "gw.yaml": kubernetesGateway("istio"), "ap.yaml": authorizationPolicy("  selector: { matchLabels: { app: reviews } }") },
    },
    { name: "a namespace-wide policy (no selector)", files: { "gw.yaml": kubernetesGateway("istio"), "ap.yaml": authorizationPolicy("") } },
  ];
  for (const c of quiet) {
    it(`does not report ${c.name}`, () => {
      assert.deepEqual(lintYaml(rule, c.files), []);
    });
  }
});
