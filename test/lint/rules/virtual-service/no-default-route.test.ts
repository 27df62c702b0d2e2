import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noDefaultRoute } from "../../../../src/lint/rules/virtual-service/no-default-route.js";
import { lintCorpus, lintYaml, service } from "./lint-virtual-services.js";
import { httpRules, rule } from "./route-manifests.js";

function paths(files: Record<string, string>): string[] {
  return lintYaml(noDefaultRoute, files).map((f) => `${f.resource?.name} ${f.path}`);
}

describe("MP1011 no default route", () => {
  it("reports a mesh host whose rules all have match conditions, at the host", () => {
    const findings = lintYaml(noDefaultRoute, { "vs.yaml": httpRules("reviews", [rule(['{ headers: { end-user: { exact: jason } } }'], "reviews")]) });
    assert.deepEqual(findings.map((f) => f.path), ["spec.hosts[0]"]);
    assert.equal(findings[0]!.severity, "warning");
    assert.match(findings[0]!.message, /404/);
  });

  const quiet: [string, string[]][] = [
    ["a last rule without match", [rule(['{ headers: { end-user: { exact: jason } } }']), rule(null)]],
    ["a catch-all prefix /", [rule(['{ uri: { prefix: "/" } }'])]],
    ["a catch-all regex .*", [rule(['{ uri: { regex: ".*" } }'])]],
    ["a match block that is a catch-all among others", [rule(['{ uri: { exact: /a } }', '{ uri: { prefix: "/" } }'])]],
  ];
  for (const [name, rules] of quiet) {
    it(`accepts ${name}`, () => assert.deepEqual(paths({ "vs.yaml": httpRules("reviews", rules) }), []));
  }

  it("reports a prefix that is not / and a method-only match", () => {
    assert.equal(paths({ "vs.yaml": httpRules("a", [rule(['{ uri: { prefix: /api } }'])]) }).length, 1);
    assert.equal(paths({ "vs.yaml": httpRules("b", [rule(['{ method: { exact: GET } }'])]) }).length, 1);
  });

  it("leaves gateway hosts alone: unmatched paths there are the norm", () => {
    const doc = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [www.example.com]
  gateways: [edge]
  http:
  - { match: [{ uri: { prefix: /api } }], route: [{ destination: { host: api } }] }
`;
    assert.deepEqual(paths({ "vs.yaml": doc }), []);
  });

  it("accepts bookinfo's googleapis port rewrite: its port-80 rule covers the only HTTP port of the ServiceEntry", () => {
    assert.deepEqual(lintCorpus(noDefaultRoute, ["bookinfo/networking/egress-rule-google-apis.yaml"]), []);
  });

  it("reports port rules that leave an HTTP port of the Service without a route", () => {
    const rules = [rule(["{ port: 80 }"], "reviews")];
    assert.deepEqual(paths({ "s.yaml": service("reviews", "shop", [80]), "vs.yaml": httpRules("reviews", rules) }), []);
    assert.deepEqual(paths({ "s.yaml": service("reviews", "shop", [80, 8080]), "vs.yaml": httpRules("reviews", rules) }), ["reviews spec.hosts[0]"]);
  });

  it("accepts bookinfo's jason routing, which ends with a default rule", () => {
    assert.deepEqual(lintCorpus(noDefaultRoute, ["bookinfo/networking/virtual-service-reviews-test-v2.yaml", "bookinfo/networking/virtual-service-ratings-test-abort.yaml"]), []);
  });
});
