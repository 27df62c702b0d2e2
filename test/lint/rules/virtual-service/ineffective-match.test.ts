import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ineffectiveMatch } from "../../../../src/lint/rules/virtual-service/ineffective-match.js";
import { lintYaml } from "./lint-virtual-services.js";
import { httpRules, rule } from "./route-manifests.js";

function paths(doc: string): string[] {
  return lintYaml(ineffectiveMatch, { "vs.yaml": doc }).map((f) => f.path ?? "");
}

describe("MP1010 ineffective match (Istio validation, VirtualServiceIneffectiveMatch)", () => {
  it("reports a match block that repeats an earlier rule's, at that block", () => {
    const findings = lintYaml(ineffectiveMatch, { "vs.yaml": httpRules("web", [rule(['{ uri: { prefix: /api } }']), rule(['{ uri: { prefix: /api } }', '{ uri: { prefix: /potato } }'])]) });
    assert.deepEqual(findings.map((f) => f.path), ["spec.http[1].match[0]"]);
    assert.deepEqual(findings[0]!.equivalents, ["IST0131"]);
  });

  // [case, earlier block, later block, reported]
  const prefixCases: [string, string, string, boolean][] = [
    ["a longer prefix after a shorter one with the same method", "{ uri: { prefix: /api/v1/product }, method: { exact: GET } }", "{ uri: { prefix: /api/v1/products }, method: { exact: GET } }", true],
    ["a longer prefix with a method after a shorter prefix with none", "{ uri: { prefix: /api/v1/product } }", "{ uri: { prefix: /api/v1/products }, method: { exact: GET } }", true],
    ["a longer prefix with another method", "{ uri: { prefix: /api/v1/prod }, method: { exact: GET } }", "{ uri: { prefix: /api/v1/products }, method: { exact: POST } }", false],
    ["a longer prefix without method after a GET-only prefix (istioctl assumes GET)", "{ uri: { prefix: /api }, method: { exact: GET } }", "{ uri: { prefix: /api/v1 } }", false],
    ["a shorter prefix after a longer one", "{ uri: { prefix: /api/v1/products } }", "{ uri: { prefix: /api/v1/product } }", false],
    ["a longer prefix that needs a header the earlier one also needs", "{ uri: { prefix: /a }, headers: { x: { exact: '1' } } }", "{ uri: { prefix: /a/b }, headers: { x: { exact: '1' }, y: { exact: '2' } } }", true],
    ["a longer prefix whose header value only starts like the earlier one's", "{ uri: { prefix: /a }, headers: { x: { exact: foo-bar } } }", "{ uri: { prefix: /a/b }, headers: { x: { exact: foo } } }", false],
    ["a longer prefix from other source labels", "{ uri: { prefix: /a }, sourceLabels: { app: web } }", "{ uri: { prefix: /a/b }, sourceLabels: { app: batch } }", false],
  ];
  for (const [name, earlier, later, reported] of prefixCases) {
    it(`${reported ? "reports" : "accepts"} ${name}, across rules and within one rule`, () => {
      assert.deepEqual(paths(httpRules("web", [rule([earlier]), rule([later])])), reported ? ["spec.http[1].match[0]"] : []);
      assert.deepEqual(paths(httpRules("web", [rule([earlier, later])])), reported ? ["spec.http[0].match[1]"] : []);
    });
  }

  it("reports an exact uri an earlier rule's prefix covers, but not within one rule (the same route applies)", () => {
    assert.deepEqual(paths(httpRules("web", [rule(['{ uri: { prefix: /api } }']), rule(['{ uri: { exact: /api/health } }'])])), ["spec.http[1].match[0]"]);
    assert.deepEqual(paths(httpRules("web", [rule(['{ uri: { prefix: "/" } }', '{ uri: { exact: "/" }, method: { exact: GET } }'])])), []);
  });

  it("says the rule is unreachable when earlier rules cover all its blocks", () => {
    const findings = lintYaml(ineffectiveMatch, { "vs.yaml": httpRules("web", [rule(['{ uri: { prefix: /api } }']), rule(['{ uri: { prefix: /api/v2 } }'])]) });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /no request reaches rule http\[1\]/);
  });

  it("reports repeated tcp match blocks", () => {
    const doc = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: echo }
spec:
  hosts: ["*"]
  tcp:
  - { match: [{ port: 31400 }], route: [{ destination: { host: echo } }] }
  - { match: [{ port: 31400 }, { port: 31401 }], route: [{ destination: { host: echo } }] }
`;
    assert.deepEqual(paths(doc), ["spec.tcp[1].match[0]"]);
  });
});
