import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fqdn, hostRoutes, tableFromYaml } from "./istio-table.js";

function policiesOf(routeYaml: string, extra: Record<string, string> = {}) {
  const result = tableFromYaml({
    "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - ${routeYaml.trim().split("\n").join("\n    ")}
`,
    "dr.yaml": `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`,
    ...extra,
  });
  const rule = hostRoutes(result, fqdn("reviews")).rules[0]!;
  return { rule, policies: rule.policies, findings: result.findings };
}

describe("Istio HTTPRoute policies", () => {
  it("carries timeout and retries as written", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
timeout: 10s
retries: { attempts: 3, perTryTimeout: 2s, retryOn: "gateway-error,connect-failure" }
`);
    assert.equal(policies.timeout, "10s");
    assert.deepEqual(policies.retries, { attempts: 3, perTryTimeout: "2s", retryOn: "gateway-error,connect-failure" });
  });

  it("treats retries without attempts as retries disabled (pilot: attempts 0 turns retries off)", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
retries: { perTryTimeout: 2s }
`);
    assert.deepEqual(policies.retries, { attempts: 0, perTryTimeout: "2s", retryOn: null });
  });

  it("injects nothing when a fault has no percentage, and honours the deprecated integer percent", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
fault:
  delay: { fixedDelay: 5s }
  abort: { httpStatus: 503, percent: 10 }
`);
    assert.deepEqual(policies.fault, { delay: { fixedDelay: "5s", percentage: 0 }, abort: { httpStatus: 503, grpcStatus: null, percentage: 10 } });
  });

  it("keeps a gRPC abort status and a fractional percentage", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
fault: { abort: { grpcStatus: UNAVAILABLE, percentage: { value: 0.5 } } }
`);
    assert.deepEqual(policies.fault, { delay: null, abort: { httpStatus: null, grpcStatus: "UNAVAILABLE", percentage: 0.5 } });
  });

  it("mirrors 100% by default, mirrorPercentage otherwise, and each mirrors entry with its own percentage", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
mirror: { host: reviews, subset: v2 }
mirrors:
- destination: { host: shadow.test.svc.cluster.local, port: { number: 8080 } }
  percentage: { value: 25 }
- destination: { host: audit }
`);
    assert.deepEqual(policies.mirror, [
      { service: fqdn("reviews"), subset: "v2", port: null, percentage: 100 },
      { service: "shadow.test.svc.cluster.local", subset: null, port: 8080, percentage: 25 },
      { service: fqdn("audit"), subset: null, port: null, percentage: 100 },
    ]);
  });

  it("does not mirror when mirrorPercentage is 0", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
mirror: { host: reviews, subset: v2 }
mirrorPercentage: { value: 0 }
`);
    assert.deepEqual(policies.mirror, []);
  });

  it("reports a mirror subset that no DestinationRule defines", () => {
    const { findings } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
mirror: { host: reviews, subset: v7 }
`);
    assert.deepEqual(findings.map((f) => [f.code, f.path]), [["MP0201", "spec.http[0].mirror.subset"]]);
  });

  it("rewrites uri, uri by regex and authority", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
rewrite: { uri: /v1/reviews, authority: reviews.internal, uriRegexRewrite: { match: "^/old/(.*)", rewrite: "/new/\\\\1" } }
`);
    assert.deepEqual(policies.rewrite, { uri: "/v1/reviews", uriRegex: { match: "^/old/(.*)", rewrite: "/new/\\1" }, authority: "reviews.internal" });
  });

  it("redirects with 301 unless redirectCode says otherwise, and routes to no backend", () => {
    const { rule, policies } = policiesOf(`
redirect: { uri: /v2/reviews, authority: new.example.com, scheme: https, port: 8443 }
`);
    assert.deepEqual(policies.redirect, { statusCode: 301, uri: "/v2/reviews", authority: "new.example.com", scheme: "https", port: 8443 });
    assert.deepEqual(rule.backends, []);
    const other = policiesOf(`
redirect: { uri: /moved, redirectCode: 308 }
`);
    assert.equal(other.policies.redirect?.statusCode, 308);
  });

  it("answers directly with a status and a string or base64 body", () => {
    const text = policiesOf(`
directResponse: { status: 503, body: { string: "down for maintenance" } }
`);
    assert.deepEqual(text.policies.directResponse, { status: 503, body: "down for maintenance" });
    assert.deepEqual(text.rule.backends, []);
    const bytes = policiesOf(`
directResponse: { status: 200, body: { bytes: aGVsbG8= } }
`);
    assert.deepEqual(bytes.policies.directResponse, { status: 200, body: "hello" });
  });

  it("sets, adds and removes request and response headers", () => {
    const { policies } = policiesOf(`
route: [{ destination: { host: reviews, subset: v1 } }]
headers:
  request: { set: { x-env: prod }, add: { x-trace: "1" } }
  response: { remove: [server] }
`);
    assert.deepEqual(policies.headers, { request: { set: { "x-env": "prod" }, add: { "x-trace": "1" } }, response: { remove: ["server"] } });
  });

  it("keeps the route name as the rule name and in its id", () => {
    const { rule } = policiesOf(`
name: primary
match: [{ uri: { prefix: /reviews } }]
route: [{ destination: { host: reviews, subset: v1 } }]
`);
    assert.equal(rule.name, "primary");
    assert.equal(rule.id, 'primary:[{"uri":{"type":"prefix","value":"/reviews"}}]');
  });
});
