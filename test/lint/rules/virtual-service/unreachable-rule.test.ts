import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unreachableRule } from "../../../../src/lint/rules/virtual-service/unreachable-rule.js";
import { lintYaml } from "./lint-virtual-services.js";
import { httpRules, rule } from "./route-manifests.js";

function paths(doc: string): string[] {
  return lintYaml(unreachableRule, { "vs.yaml": doc }).map((f) => f.path ?? "");
}

describe("MP1009 unreachable rule (Istio validation, VirtualServiceUnreachableRule)", () => {
  it("reports a second rule without match conditions", () => {
    const findings = lintYaml(unreachableRule, { "vs.yaml": httpRules("web", [rule(null, "a"), rule(null, "b")]) });
    assert.deepEqual(findings.map((f) => f.path), ["spec.http[1]"]);
    assert.deepEqual(findings[0]!.equivalents, ["IST0130"]);
  });

  it("reports every rule after a rule without match conditions, once each", () => {
    assert.deepEqual(paths(httpRules("web", [rule(null), rule(['{ uri: { prefix: /a } }', '{ uri: { prefix: /b } }']), rule(['{ uri: { exact: /c } }'])])), ["spec.http[1]", "spec.http[2]"]);
  });

  it("reports a rule whose every match block repeats an earlier rule's, ignoring match names and header case", () => {
    const doc = httpRules("web", [
      rule(['{ name: first, uri: { prefix: /api/v1/products } }', '{ headers: { X-User: { exact: jason } } }']),
      rule(['{ uri: { prefix: /api/v1/products } }', '{ headers: { x-user: { exact: jason } } }'], "other"),
    ]);
    assert.deepEqual(paths(doc), ["spec.http[1]"]);
  });

  it("does not report a rule with one new match block among repeated ones", () => {
    assert.deepEqual(paths(httpRules("web", [rule(['{ uri: { prefix: /api } }']), rule(['{ uri: { prefix: /api } }', '{ uri: { prefix: /potato } }'])])), []);
  });

  it("does not report ordered rules ending with a default rule", () => {
    assert.deepEqual(paths(httpRules("web", [rule(['{ headers: { end-user: { exact: jason } } }']), rule(['{ uri: { prefix: /api } }']), rule(null)])), []);
  });

  it("checks tcp and tls rules the same way", () => {
    const doc = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: echo }
spec:
  hosts: ["*"]
  gateways: [echo]
  tcp:
  - { match: [{ port: 31400 }], route: [{ destination: { host: echo, subset: v1 } }] }
  - { match: [{ port: 31400 }], route: [{ destination: { host: echo, subset: v2 } }] }
  - { match: [{ port: 31400, sourceSubnet: 10.0.0.0/8 }], route: [{ destination: { host: echo, subset: v2 } }] }
  tls:
  - { match: [{ port: 2443, sniHosts: [a.example.com, b.example.com] }], route: [{ destination: { host: a.example.com } }] }
  - { match: [{ port: 2443, sniHosts: [b.example.com, a.example.com] }], route: [{ destination: { host: b.example.com } }] }
`;
    assert.deepEqual(paths(doc), ["spec.tcp[1]", "spec.tls[1]"]);
  });
});
