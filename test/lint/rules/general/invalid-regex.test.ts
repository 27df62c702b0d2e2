/**
 * MP1105: regexes the data plane compiles must be RE2. Istio's validation
 * (pkg/config/validation validateStringMatchRegexp / validateStringRegexp)
 * refuses empty, over-long (> 1024) and non-RE2 patterns; Envoy-based Gateway
 * API implementations compile RegularExpression matches as RE2; ingress-nginx
 * compiles use-regex paths with PCRE (a warning).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeTree } from "../../../../src/jobs/analyze-tree.js";
import { invalidRegex } from "../../../../src/lint/rules/general/invalid-regex.js";
import { lineOf, lint } from "./lint.js";

function virtualService(http: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
${http}`;
}

const route = "    route:\n    - destination: {host: reviews}\n";

describe("invalid regexes (MP1105)", () => {
  describe("Istio VirtualService", () => {
    const cases: [string, string, string[]][] = [
      ["an unbalanced uri regex", `  - match:\n    - uri: {regex: "/api/(v1"}\n${route}`, ["spec.http[0].match[0].uri.regex"]],
      ["a header regex with lookahead, which RE2 has not", `  - match:\n    - headers:\n        end-user: {regex: "jason(?=x)"}\n${route}`, ["spec.http[0].match[0].headers.end-user.regex"]],
      ["an empty regex", `  - match:\n    - authority: {regex: ""}\n${route}`, ["spec.http[0].match[0].authority.regex"]],
      ["a regex longer than 1024 characters", `  - match:\n    - uri: {regex: "${"a".repeat(1025)}"}\n${route}`, ["spec.http[0].match[0].uri.regex"]],
      ["a backreference in queryParams and withoutHeaders", `  - match:\n    - queryParams:\n        v: {regex: "(a)\\\\1"}\n      withoutHeaders:\n        x: {regex: "[z-a]"}\n${route}`, ["spec.http[0].match[0].queryParams.v.regex", "spec.http[0].match[0].withoutHeaders.x.regex"]],
      ["a CORS allowOrigins regex", `  - corsPolicy:\n      allowOrigins:\n      - exact: https://shop.example.com\n      - regex: "*.example.com"\n${route}`, ["spec.http[0].corsPolicy.allowOrigins[1].regex"]],
      ["a uriRegexRewrite match", `  - match:\n    - uri: {prefix: /old}\n    rewrite:\n      uriRegexRewrite: {match: "^/old/(.*", rewrite: "/new/\\\\1"}\n${route}`, ["spec.http[0].rewrite.uriRegexRewrite.match"]],
      ["valid RE2 everywhere", `  - match:\n    - uri: {regex: "/api/v[0-9]+/.*"}\n      headers:\n        end-user: {regex: "(?i)jason|json"}\n    rewrite:\n      uriRegexRewrite: {match: "^/api/(.*)$", rewrite: "/\\\\1"}\n${route}`, []],
      ["prefix and exact matches, which are not regexes", `  - match:\n    - uri: {prefix: "/api/(v1"}\n      headers:\n        x: {exact: "(?=x)"}\n${route}`, []],
    ];
    for (const [name, http, paths] of cases) {
      it(`${paths.length ? "reports" : "accepts"} ${name}`, () => {
        const findings = lint(invalidRegex, { "vs.yaml": virtualService(http) });
        assert.deepEqual(
          findings.map((f) => f.path).sort(),
          paths,
        );
        for (const f of findings) {
          assert.equal(f.severity, "error");
          assert.deepEqual(f.equivalents, ["IST0106"]);
          assert.match(f.message, /Istio's validation rejects the VirtualService/);
        }
      });
    }

    it("says why: the RE2 error, the empty pattern or the length", () => {
      const messages = lint(invalidRegex, {
        "vs.yaml": virtualService(`  - match:\n    - uri: {regex: "(a"}\n    - uri: {regex: ""}\n    - uri: {regex: "${"b".repeat(1030)}"}\n${route}`),
      }).map((f) => f.message);
      assert.equal(messages.length, 3);
      assert.match(messages[0]!, /RE2 refuses it: .*missing closing \)/);
      assert.match(messages[1]!, /empty regex/);
      assert.match(messages[2]!, /1030 characters long; Istio allows at most 1024/);
    });
  });

  describe("Gateway API", () => {
    const httpRoute = (match: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  rules:
  - matches:
    - ${match}
    backendRefs: [{name: api, port: 80}]
`;
    it("reports a RegularExpression path at its value", () => {
      const yaml = httpRoute('path: {type: RegularExpression, value: "/api/(?<!x)v1"}');
      const findings = lint(invalidRegex, { "route.yaml": yaml });
      assert.deepEqual(
        findings.map((f) => [f.path, f.line, f.severity]),
        [["spec.rules[0].matches[0].path.value", lineOf(yaml, "RegularExpression"), "error"]],
      );
    });

    it("reports RegularExpression header and query parameter values", () => {
      const findings = lint(invalidRegex, {
        "route.yaml": httpRoute('headers: [{type: RegularExpression, name: x-v, value: "v(1"}]\n      queryParams: [{type: Exact, name: a, value: "("}, {type: RegularExpression, name: b, value: "*b"}]'),
      });
      assert.deepEqual(
        findings.map((f) => f.path),
        ["spec.rules[0].matches[0].headers[0].value", "spec.rules[0].matches[0].queryParams[1].value"],
      );
    });

    it("accepts valid RE2 and non-regex matches", () => {
      assert.deepEqual(lint(invalidRegex, { "route.yaml": httpRoute('path: {type: RegularExpression, value: "/api/v[0-9]+"}\n      headers: [{name: x, value: "("}]') }), []);
    });

    it("reports a GRPCRoute RegularExpression method match", () => {
      const grpc = `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: shop}
spec:
  rules:
  - matches:
    - method: {type: RegularExpression, service: "shop\\\\.(Cart", method: "Get.*"}
    backendRefs: [{name: cart, port: 9000}]
`;
      assert.deepEqual(
        lint(invalidRegex, { "grpc.yaml": grpc }).map((f) => f.path),
        ["spec.rules[0].matches[0].method.service"],
      );
    });
  });

  describe("ingress-nginx use-regex paths", () => {
    const ingress = (annotations: string, path: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
${annotations}spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: ${path}
        pathType: ImplementationSpecific
        backend: {service: {name: shop, port: {number: 80}}}
`;
    const useRegex = '  annotations: {nginx.ingress.kubernetes.io/use-regex: "true"}\n';

    it("warns about a path RE2 refuses on a use-regex host (nginx compiles it with PCRE)", () => {
      const yaml = ingress(useRegex, '"/api/(?<=v)1"');
      const findings = lint(invalidRegex, { "ing.yaml": yaml });
      assert.deepEqual(
        findings.map((f) => [f.path, f.line, f.severity]),
        [["spec.rules[0].http.paths[0].path", lineOf(yaml, "- path:"), "warning"]],
      );
      assert.match(findings[0]!.message, /PCRE/);
    });

    it("accepts the same text as a plain prefix path, without use-regex", () => {
      assert.deepEqual(lint(invalidRegex, { "ing.yaml": ingress("", '"/api/(?<=v)1"') }), []);
    });

    it("accepts a valid regex path", () => {
      assert.deepEqual(lint(invalidRegex, { "ing.yaml": ingress(useRegex, '"/api/(v1|v2)/.*"') }), []);
    });
  });

  it("leaves SMI HTTPRouteGroup regexes to the SMI engine's MP0409", () => {
    const files = {
      "hrg.yaml": `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: routes, namespace: shop}
spec:
  matches:
  - name: broken
    pathRegex: "/books(("
`,
    };
    assert.deepEqual(lint(invalidRegex, files), []);
    assert.deepEqual(
      analyzeTree(Object.entries(files).map(([path, content]) => ({ path, content }))).findings.map((f) => [f.code, f.path]),
      [["MP0409", "spec.matches[0].pathRegex"]],
    );
  });
});
