import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { schemaFor } from "../../../src/manifests/schemas/index.js";
import { istioSchemas } from "../../../src/manifests/schemas/istio.js";
import { splitApiVersion } from "../../../src/manifests/types.js";
import { corpusPath } from "../../support/corpus.js";
import { modelFromYaml } from "../../support/model.js";

function parse(apiVersion: string, kind: string, object: Record<string, unknown>) {
  const { group, version } = splitApiVersion(apiVersion);
  const schema = schemaFor(group, version, kind);
  assert.ok(schema, `no schema for ${apiVersion} ${kind}`);
  return schema.schema.safeParse({ apiVersion, kind, metadata: { name: "x", namespace: "default" }, ...object });
}

function issuePaths(result: ReturnType<typeof parse>): string[] {
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

describe("Istio schemas: kinds and versions", () => {
  const served: [string, string, string[]][] = [
    ["networking.istio.io", "VirtualService", ["v1alpha3", "v1beta1", "v1"]],
    ["networking.istio.io", "DestinationRule", ["v1alpha3", "v1beta1", "v1"]],
    ["networking.istio.io", "Gateway", ["v1alpha3", "v1beta1", "v1"]],
    ["networking.istio.io", "ServiceEntry", ["v1alpha3", "v1beta1", "v1"]],
    ["networking.istio.io", "Sidecar", ["v1alpha3", "v1beta1", "v1"]],
    ["security.istio.io", "PeerAuthentication", ["v1beta1", "v1"]],
    ["security.istio.io", "AuthorizationPolicy", ["v1beta1", "v1"]],
    ["security.istio.io", "RequestAuthentication", ["v1beta1", "v1"]],
  ];
  for (const [group, kind, versions] of served) {
    it(`serves ${kind} in ${group} ${versions.join(", ")}`, () => {
      for (const v of versions) assert.equal(schemaFor(group, v, kind)?.kind, kind);
      assert.equal(schemaFor(group, "v2", kind), undefined);
    });
  }

  for (const [kind, replacement] of [
    ["RouteRule", "VirtualService"],
    ["DestinationPolicy", "DestinationRule"],
  ] as const) {
    it(`parses the removed config.istio.io/v1alpha2 ${kind} only to explain the move to ${replacement}`, () => {
      const s = istioSchemas.find((x) => x.kind === kind);
      assert.ok(s);
      assert.deepEqual([s.group, s.versions, s.removedVersions], ["config.istio.io", [], ["v1alpha2"]]);
      assert.match(s.migration ?? "", new RegExp(`networking\\.istio\\.io/v1 ${replacement}`));
      assert.equal(schemaFor("config.istio.io", "v1alpha2", kind), s);
    });
  }

  it("accepts an Istio 0.x RouteRule with weighted labels", () => {
    const r = parse("config.istio.io/v1alpha2", "RouteRule", {
      spec: {
        destination: { name: "reviews" },
        precedence: 1,
        route: [
          { labels: { version: "v1" }, weight: 50 },
          { labels: { version: "v3" }, weight: 50 },
        ],
      },
    });
    assert.equal(r.success, true);
  });
});

describe("Istio schemas: field types from the Istio API reference", () => {
  const cases: { name: string; apiVersion: string; kind: string; object: Record<string, unknown>; issues: string[] }[] = [
    {
      name: "a weight written as a string is a wrong type",
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      object: { spec: { hosts: ["r"], http: [{ route: [{ destination: { host: "r" }, weight: "50" }] }] } },
      issues: ["spec.http.0.route.0.weight"],
    },
    {
      name: "a destination needs a host",
      apiVersion: "networking.istio.io/v1beta1",
      kind: "VirtualService",
      object: { spec: { hosts: ["r"], tcp: [{ route: [{ destination: { subset: "v1" } }] }] } },
      issues: ["spec.tcp.0.route.0.destination.host"],
    },
    {
      name: "a port number must be a number",
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      object: { spec: { hosts: ["r"], http: [{ route: [{ destination: { host: "r", port: { number: "9080" } } }] }] } },
      issues: ["spec.http.0.route.0.destination.port.number"],
    },
    {
      name: "fault percentage is a Percent object with a double value",
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "VirtualService",
      object: { spec: { hosts: ["r"], http: [{ fault: { delay: { fixedDelay: "7s", percentage: 100 } } }] } },
      issues: ["spec.http.0.fault.delay.percentage"],
    },
    {
      name: "every HTTPRoute field of the reference is accepted",
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      object: {
        spec: {
          hosts: ["r"],
          gateways: ["mesh"],
          exportTo: ["."],
          http: [
            {
              name: "all",
              match: [
                {
                  uri: { prefix: "/" },
                  scheme: { exact: "https" },
                  method: { exact: "GET" },
                  authority: { regex: ".*" },
                  headers: { a: { exact: "b" } },
                  withoutHeaders: { c: {} },
                  queryParams: { q: { prefix: "x" } },
                  port: 80,
                  sourceLabels: { app: "a" },
                  sourceNamespace: "ns",
                  gateways: ["mesh"],
                  ignoreUriCase: true,
                },
              ],
              route: [{ destination: { host: "r", subset: "v1", port: { number: 80 } }, weight: 100, headers: { request: { set: { a: "b" } } } }],
              timeout: "1s",
              retries: { attempts: 2, perTryTimeout: "500ms", retryOn: "5xx" },
              fault: { delay: { fixedDelay: "1s", percentage: { value: 0.1 } }, abort: { httpStatus: 503, percentage: { value: 1 } } },
              mirror: { host: "m" },
              mirrorPercentage: { value: 10 },
              mirrors: [{ destination: { host: "m2" }, percentage: { value: 5 } }],
              corsPolicy: { allowOrigins: [{ exact: "https://a" }], allowMethods: ["GET"], maxAge: "24h" },
              headers: { response: { remove: ["server"] } },
              rewrite: { uri: "/", authority: "a", uriRegexRewrite: { match: "a", rewrite: "b" } },
            },
            { redirect: { uri: "/x", redirectCode: 302, derivePort: "FROM_REQUEST_PORT" } },
            { directResponse: { status: 503, body: { string: "down" } } },
            { delegate: { name: "d", namespace: "ns" } },
          ],
          tls: [{ match: [{ sniHosts: ["a.com"], port: 443 }], route: [{ destination: { host: "a" } }] }],
          tcp: [{ match: [{ port: 3306, sourceSubnet: "10.0.0.0/8" }], route: [{ destination: { host: "db" }, weight: 100 }] }],
        },
      },
      issues: [],
    },
    {
      name: "a TLS route needs sniHosts in its match",
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      object: { spec: { hosts: ["a"], tls: [{ match: [{ port: 443 }] }] } },
      issues: ["spec.tls.0.match.0.sniHosts"],
    },
    {
      name: "a DestinationRule needs a host and named subsets",
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      object: { spec: { subsets: [{ labels: { version: "v1" } }] } },
      issues: ["spec.host", "spec.subsets.0.name"],
    },
    {
      name: "a Gateway server needs a port and hosts",
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      object: { spec: { selector: { istio: "ingressgateway" }, servers: [{ tls: { mode: "SIMPLE" } }] } },
      issues: ["spec.servers.0.port", "spec.servers.0.hosts"],
    },
    {
      name: "a ServiceEntry needs hosts",
      apiVersion: "networking.istio.io/v1",
      kind: "ServiceEntry",
      object: { spec: { ports: [{ number: 443, name: "https", protocol: "TLS" }] } },
      issues: ["spec.hosts"],
    },
    {
      name: "a Sidecar without spec is valid (Istio CRDs do not require one)",
      apiVersion: "networking.istio.io/v1",
      kind: "Sidecar",
      object: {},
      issues: [],
    },
    {
      name: "AuthorizationPolicy ports are strings",
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      object: { spec: { rules: [{ to: [{ operation: { ports: [8080] } }] }] } },
      issues: ["spec.rules.0.to.0.operation.ports.0"],
    },
    {
      name: "AuthorizationPolicy action is one of ALLOW, DENY, AUDIT, CUSTOM",
      apiVersion: "security.istio.io/v1beta1",
      kind: "AuthorizationPolicy",
      object: { spec: { action: "REJECT" } },
      issues: ["spec.action"],
    },
    {
      name: "a when condition needs a key",
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      object: { spec: { rules: [{ when: [{ values: ["a"] }] }] } },
      issues: ["spec.rules.0.when.0.key"],
    },
    {
      name: "PeerAuthentication portLevelMtls is keyed by port",
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      object: { spec: { selector: { matchLabels: { app: "a" } }, mtls: { mode: "STRICT" }, portLevelMtls: { "8080": { mode: "DISABLE" } } } },
      issues: [],
    },
    {
      name: "a RequestAuthentication JWT rule needs an issuer",
      apiVersion: "security.istio.io/v1",
      kind: "RequestAuthentication",
      object: { spec: { jwtRules: [{ jwksUri: "https://example.com/jwks" }] } },
      issues: ["spec.jwtRules.0.issuer"],
    },
    {
      name: "unknown fields pass through",
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      object: { spec: { host: "r", futureField: { a: 1 }, trafficPolicy: { newPolicy: true } } },
      issues: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(issuePaths(parse(c.apiVersion, c.kind, c.object)), c.issues);
    });
  }

  it("keeps unknown fields in the parsed object", () => {
    const r = parse("networking.istio.io/v1", "DestinationRule", { spec: { host: "r", futureField: 1 } });
    assert.ok(r.success);
    assert.equal((r.data as { spec: { futureField: number } }).spec.futureField, 1);
  });
});

describe("Istio schemas over the corpus", () => {
  const files = [
    "bookinfo/networking/bookinfo-gateway.yaml",
    "bookinfo/networking/certmanager-gateway.yaml",
    "bookinfo/networking/destination-rule-all-mtls.yaml",
    "bookinfo/networking/destination-rule-all.yaml",
    "bookinfo/networking/egress-rule-google-apis.yaml",
    "bookinfo/networking/virtual-service-ratings-mysql-vm.yaml",
    "istio-analyzers/testdata/authorizationpolicies.yaml",
    "istio-analyzers/testdata/virtualservice_dupmatches.yaml",
    "istio-analyzers/testdata/serviceentry-address-allocated.yaml",
    "istio-analyzers/testdata/blocked-cidrs-configured.yaml",
    "istio-analyzers/testdata/sidecar-selector.yaml",
    "istio-analyzers/testdata/deprecation.yaml",
  ];
  for (const file of files) {
    it(`accepts every Istio object in ${file}`, () => {
      const docs = parseAllDocuments(readFileSync(corpusPath(file), "utf8")).map((d) => d.toJS() as Record<string, unknown> | null);
      let seen = 0;
      for (const obj of docs) {
        if (!obj || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") continue;
        const { group, version } = splitApiVersion(obj.apiVersion);
        const schema = schemaFor(group, version, obj.kind);
        if (!schema || !istioSchemas.includes(schema)) continue;
        seen++;
        const r = schema.schema.safeParse(obj);
        assert.ok(r.success, `${obj.kind}: ${r.success ? "" : JSON.stringify(r.error.issues)}`);
      }
      assert.ok(seen > 0, "the file holds Istio objects");
    });
  }

  it("reports a wrongly typed field at its line through the loader", () => {
    const { findings, model } = modelFromYaml({
      "reviews.yaml": `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews }
      weight: fifty
`,
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.line, 9);
    assert.equal(findings[0]!.path, "spec.http[0].route[0].weight");
    assert.equal(model.list("networking.istio.io/VirtualService").length, 0);
  });
});
