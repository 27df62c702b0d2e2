import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authorizationPolicyNamespaceNotFound, namespaceMatches } from "../../../../src/lint/rules/istio-config/authorization-policy-namespace-not-found.js";
import { lintAnalyzerTestdata, lintYaml, located } from "./lint.js";

function policy(source: string, namespace = "shop"): string {
  return `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-callers, namespace: ${namespace} }
spec:
  rules:
  - from:
    - source: ${source}
`;
}

describe("MP1078 AuthorizationPolicy source namespace matches no namespace (istioctl IST0101)", () => {
  it("reports the two patterns of authorizationpolicies.yaml that match no namespace, in namespaces and notNamespaces", () => {
    const findings = lintAnalyzerTestdata(authorizationPolicyNamespaceNotFound, ["authorizationpolicies.yaml"]);
    assert.deepEqual(located(findings), [
      "AuthorizationPolicy httpbin/httpbin-bogus-not-ns spec.rules[0].from[1].source.notNamespaces[2]",
      "AuthorizationPolicy httpbin/httpbin-bogus-not-ns spec.rules[0].from[1].source.notNamespaces[3]",
      "AuthorizationPolicy httpbin/httpbin-bogus-ns spec.rules[0].from[1].source.namespaces[2]",
      "AuthorizationPolicy httpbin/httpbin-bogus-ns spec.rules[0].from[1].source.namespaces[3]",
    ]);
    assert.ok(findings.every((f) => f.severity === "error" && f.equivalents[0] === "IST0101"));
    assert.match(findings[0]!.message, /notNamespaces `\*-bogus` matches no namespace; this condition holds for every caller/);
  });

  const cases: { name: string; yaml: string; reported: boolean }[] = [
    { name: "a namespace the tree declares", yaml: "apiVersion: v1\nkind: Namespace\nmetadata: { name: frontend }\n" + policy("{ namespaces: [frontend] }"), reported: false },
    {
      name: "a namespace the tree only puts resources in",
      yaml: "apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: web, namespace: frontend }\n" + policy("{ namespaces: [frontend] }"),
      reported: false,
    },
    { name: "the default namespace, which every cluster has", yaml: policy("{ namespaces: [default] }"), reported: false },
    { name: "a namespace nothing in the tree uses", yaml: policy("{ namespaces: [frontend] }"), reported: true },
    { name: "a prefix pattern matching a used namespace", yaml: policy('{ notNamespaces: ["sho*"] }'), reported: false },
    { name: "a suffix pattern matching nothing", yaml: policy('{ notNamespaces: ["*-prod"] }'), reported: true },
  ];
  for (const c of cases) {
    it(`${c.reported ? "reports" : "accepts"} ${c.name}`, () => {
      assert.equal(lintYaml(authorizationPolicyNamespaceNotFound, { "policy.yaml": c.yaml }).length, c.reported ? 1 : 0);
    });
  }

  it("matches namespace patterns as istioctl does: * anything, prefix* and *suffix case-sensitively, exact names ignoring case", () => {
    const table: [string, string, boolean][] = [
      ["*", "anything", true],
      ["prod-*", "prod-httpbin", true],
      ["prod-*", "Prod-httpbin", false],
      ["*-test", "httpbin-test", true],
      ["*-test", "httpbin-testing", false],
      ["HTTPBIN", "httpbin", true],
      ["httpbin", "httpbin-test", false],
    ];
    for (const [pattern, namespace, expected] of table) assert.equal(namespaceMatches(pattern, namespace), expected, `${pattern} vs ${namespace}`);
  });
});
