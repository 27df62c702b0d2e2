/**
 * Gateway API routing tables from real manifests: the GAMMA mesh conformance
 * suite (expected outcomes from conformance/tests/mesh/*.go), the Gateway API
 * examples and the bookinfo HTTPRoutes. Each table is read first-match, as the
 * data plane reads it, so the order the engine produced is what is tested.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import type { SourceFile } from "../../../src/manifests/types.js";
import { gatewayApiRoutes } from "../../../src/routing/gateway-api/gateway-api-routes.js";
import { ruleMatches } from "../../../src/routing/match.js";
import { requestFrom } from "../../../src/routing/trace.js";
import type { EffectiveRule, HostRoutes } from "../../../src/routing/types.js";
import { corpusPath } from "../../support/corpus.js";
import { corpusFiles, modelFromFiles } from "../../support/model.js";

type Req = Parameters<typeof requestFrom>[0];

function run(files: SourceFile[]) {
  const { model } = modelFromFiles(files);
  return gatewayApiRoutes(model);
}

function inline(yaml: string, path = "inline.yaml"): SourceFile {
  return { path, content: yaml };
}

/** A corpus file with parentRefs added to every route, for examples the spec text leaves unattached. */
function attached(rel: string, parentRefs: unknown[]): SourceFile {
  const docs = parseAllDocuments(readFileSync(corpusPath(rel), "utf8")).map((d) => d.toJSON() as Record<string, unknown>);
  for (const d of docs) (d["spec"] as Record<string, unknown>)["parentRefs"] = parentRefs;
  return { path: rel, content: docs.map((d) => stringify(d)).join("---\n") };
}

function table(hosts: HostRoutes[], attachment: string, host: string, port: number | null = null, protocol = "http"): HostRoutes {
  const found = hosts.find((h) => h.attachment === attachment && h.host === host && h.port === port && h.protocol === protocol);
  assert.ok(found, `no table ${attachment} ${host}:${port ?? "*"} in ${hosts.map((h) => h.key).join(", ")}`);
  return found;
}

function firstMatch(t: HostRoutes, req: Partial<Req>): EffectiveRule | undefined {
  const request = requestFrom({ host: t.host, ...req });
  return t.rules.find((r) => ruleMatches(r, request));
}

/** `echo-v1:8080=70` (short service name) for compact expectations. */
function shares(rule: EffectiveRule | undefined): string[] {
  return (rule?.backends ?? []).map((b) => `${b.service.split(".")[0]}${b.port ? `:${b.port}` : ""}=${b.weight}`);
}

const meshFiles = (test: string) => corpusFiles(["gateway-api/conformance/mesh/manifests.yaml", `gateway-api/conformance/tests/mesh/${test}.yaml`]);
const echo = "echo.gateway-conformance-mesh.svc.cluster.local";

describe("GAMMA conformance: MeshHTTPRouteMatching (httproute-matching.go)", () => {
  const t = table(run(meshFiles("httproute-matching")).hosts, "mesh", echo, 80);
  const cases: [string, Partial<Req>, string][] = [
    ["routes / to echo-v1", { path: "/" }, "echo-v1"],
    ["routes /example to echo-v1", { path: "/example" }, "echo-v1"],
    ["routes / with version: one to echo-v1", { path: "/", headers: { Version: "one" } }, "echo-v1"],
    ["routes /v2 to echo-v2", { path: "/v2" }, "echo-v2"],
    ["routes /v2/example to echo-v2", { path: "/v2/example" }, "echo-v2"],
    ["routes / with version: two to echo-v2", { path: "/", headers: { Version: "two" } }, "echo-v2"],
    ["routes /v2/ to echo-v2", { path: "/v2/" }, "echo-v2"],
    ["routes /v2example to echo-v1: not a path-segment prefix of /v2", { path: "/v2example" }, "echo-v1"],
    ["routes /foo/v2/example to echo-v1", { path: "/foo/v2/example" }, "echo-v1"],
  ];
  for (const [name, req, backend] of cases)
    it(name, () => assert.deepEqual(shares(firstMatch(t, req)), [`${backend}:8080=100`]));

  it("makes each (rule, match) pair its own rule, located at spec.rules[i].matches[j]", () => {
    assert.equal(t.rules.length, 4);
    assert.deepEqual(t.rules.map((r) => r.origin.path).sort(), [
      "spec.rules[0].matches[0]",
      "spec.rules[0].matches[1]",
      "spec.rules[1].matches[0]",
      "spec.rules[1].matches[1]",
    ]);
  });
});

describe("GAMMA conformance: MeshHTTPRouteQueryParamMatching (httproute-query-param-matching.go)", () => {
  const t = table(run(meshFiles("httproute-query-param-matching")).hosts, "mesh", echo, 80);
  const cases: [string, Partial<Req>, string | null][] = [
    ["routes ?animal=whale to echo-v1", { path: "/?animal=whale" }, "echo-v1"],
    ["routes ?animal=dolphin to echo-v2", { path: "/?animal=dolphin" }, "echo-v2"],
    ["ignores other params: ?animal=whale&otherparam=irrelevant to echo-v1", { path: "/?animal=whale&otherparam=irrelevant" }, "echo-v1"],
    ["routes ?animal=dolphin&color=yellow to echo-v2", { path: "/?animal=dolphin&color=yellow" }, "echo-v2"],
    ["answers 404 for ?color=blue", { path: "/?color=blue" }, null],
    ["answers 404 for ?animal=dog", { path: "/?animal=dog" }, null],
    ["answers 404 for ?animal=whaledolphin: values are exact", { path: "/?animal=whaledolphin" }, null],
    ["answers 404 for / without params", { path: "/" }, null],
    ["routes /path1?animal=whale to echo-v1", { path: "/path1?animal=whale" }, "echo-v1"],
    ["routes version: one with ?animal=whale to echo-v2: more matches win", { path: "/?animal=whale", headers: { version: "one" } }, "echo-v2"],
    ["ORs match blocks: /path3?animal=shark to echo-v1", { path: "/path3?animal=shark" }, "echo-v1"],
    ["ORs match blocks: version: three on /path4?animal=kraken to echo-v1", { path: "/path4?animal=kraken", headers: { version: "three" } }, "echo-v1"],
    ["ANDs conditions: ?animal=shark alone is a 404", { path: "/?animal=shark" }, null],
    ["ANDs conditions: /path4?animal=kraken without the header is a 404", { path: "/path4?animal=kraken" }, null],
    ["gives a longer path precedence over a query match: /path5?animal=hydra to echo-v1", { path: "/path5?animal=hydra" }, "echo-v1"],
  ];
  for (const [name, req, backend] of cases)
    it(name, () => {
      const rule = firstMatch(t, req);
      if (backend === null) assert.equal(rule, undefined);
      else assert.deepEqual(shares(rule), [`${backend}:8080=100`]);
    });
});

describe("GAMMA conformance: weights, same-namespace and consumer routes", () => {
  it("splits echo 70/30 between echo-v1 and echo-v2 (httproute-weight.go)", () => {
    const t = table(run(meshFiles("httproute-weight")).hosts, "mesh", echo, 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/" })), ["echo-v1:8080=70", "echo-v2:8080=30"]);
  });

  it("sends every request to echo-v1 with a rule that has no matches (httproute-simple-same-namespace.go)", () => {
    const t = table(run(meshFiles("httproute-simple-same-namespace")).hosts, "mesh", echo, 80);
    assert.equal(t.rules.length, 1);
    assert.deepEqual(t.rules[0]!.matches, [{ uri: { type: "pathPrefix", value: "/" } }]);
    assert.equal(t.rules[0]!.origin.path, "spec.rules[0]");
    assert.deepEqual(shares(firstMatch(t, { path: "/anything" })), ["echo-v1:8080=100"]);
  });

  describe("a consumer route only affects requests from its own namespace (mesh-consumer-route.go)", () => {
    const result = run(meshFiles("mesh-consumer-route"));
    const t = table(result.hosts, "mesh", "echo-v1.gateway-conformance-mesh.svc.cluster.local");
    const consumer = { namespace: "gateway-conformance-mesh-consumer", serviceAccount: "default" };
    const producer = { namespace: "gateway-conformance-mesh", serviceAccount: "default" };

    it("sets X-Header-Set for the consumer namespace and reaches echo-v1 across namespaces without a ReferenceGrant", () => {
      const rule = firstMatch(t, { path: "/", from: consumer });
      assert.deepEqual(rule?.policies.headers, { response: { set: { "X-Header-Set": "set" } } });
      assert.deepEqual(shares(rule), ["echo-v1:80=100"]);
      assert.deepEqual(result.findings, []);
    });

    it("leaves requests from the producer namespace unmodified, to the Service itself", () => {
      const rule = firstMatch(t, { path: "/", from: producer });
      assert.equal(rule?.policies.headers, null);
      assert.deepEqual(shares(rule), ["echo-v1=100"]);
    });

    it("does not fall back to producer routing for a consumer request no consumer rule matches", () => {
      const guard = t.rules.find((r) => r.matches.length === 1 && r.matches[0]!.uri === undefined && r.matches[0]!.sourceNamespace === consumer.namespace);
      assert.deepEqual(guard?.policies.directResponse, { status: 404, body: null });
      assert.ok(t.rules.indexOf(guard!) < t.rules.findIndex((r) => r.matches.length === 0));
    });
  });

  it("applies a producer route to every caller (mesh-frontend.go)", () => {
    const t = table(run(meshFiles("mesh-frontend")).hosts, "mesh", "echo-v2.gateway-conformance-mesh.svc.cluster.local");
    const rule = firstMatch(t, { path: "/", from: { namespace: "elsewhere", serviceAccount: "default" } });
    assert.deepEqual(rule?.policies.headers, { response: { set: { "X-Header-Set": "set" } } });
    assert.deepEqual(shares(rule), ["echo-v2:80=100"]);
  });
});

describe("bookinfo HTTPRoutes", () => {
  const kube = ["bookinfo/platform/kube/bookinfo.yaml", "bookinfo/platform/kube/bookinfo-versions.yaml"];
  const reviews = "reviews.default.svc.cluster.local";
  const cases: [string, string, string[]][] = [
    ["sends all reviews traffic to v1", "route-reviews-v1.yaml", ["reviews-v1:9080=100"]],
    ["sends all reviews traffic to v3", "route-reviews-v3.yaml", ["reviews-v3:9080=100"]],
    ["splits reviews 90/10 between v1 and v2", "route-reviews-90-10.yaml", ["reviews-v1:9080=90", "reviews-v2:9080=10"]],
    ["splits reviews 50/50 between v1 and v3", "route-reviews-50-v3.yaml", ["reviews-v1:9080=50", "reviews-v3:9080=50"]],
  ];
  for (const [name, file, expected] of cases)
    it(name, () => {
      const t = table(run(corpusFiles([...kube, `bookinfo/gateway-api/${file}`])).hosts, "mesh", reviews, 9080);
      assert.deepEqual(shares(firstMatch(t, { path: "/reviews/0" })), expected);
    });

  it("route-all-v1 attaches one mesh table per bookinfo Service, each to its v1 Service", () => {
    const result = run(corpusFiles([...kube, "bookinfo/gateway-api/route-all-v1.yaml"]));
    for (const svc of ["productpage", "reviews", "ratings", "details"]) {
      const t = table(result.hosts, "mesh", `${svc}.default.svc.cluster.local`, 9080);
      assert.deepEqual(shares(t.rules[0]), [`${svc}-v1:9080=100`]);
      assert.equal(t.rules[0]!.backends[0]!.service, `${svc}-v1.default.svc.cluster.local`);
    }
    assert.deepEqual(result.findings, []);
  });

  describe("bookinfo-gateway: Exact paths before PathPrefix, longest prefix first", () => {
    const t = table(run(corpusFiles([...kube, "bookinfo/gateway-api/bookinfo-gateway.yaml"])).hosts, "gateway:default/bookinfo-gateway", "*", 80);
    it("orders Exact matches ahead of the longer /api/v1/products prefix, then /static", () => {
      assert.deepEqual(
        t.rules.map((r) => `${r.matches[0]!.uri!.type}:${(r.matches[0]!.uri as { value: string }).value}`),
        ["exact:/productpage", "exact:/login", "exact:/logout", "pathPrefix:/api/v1/products", "pathPrefix:/static"],
      );
    });
    const routed: [string, boolean][] = [
      ["/productpage", true],
      ["/productpage/extra", false],
      ["/static/bootstrap.css", true],
      ["/staticfiles", false],
      ["/api/v1/products/0/reviews", true],
      ["/login", true],
      ["/", false],
    ];
    for (const [path, hit] of routed)
      it(`${hit ? "routes" : "does not route"} ${path} ${hit ? "to productpage" : "(404)"}`, () => {
        const rule = firstMatch(t, { path, attachment: "gateway:default/bookinfo-gateway" });
        assert.deepEqual(shares(rule), hit ? ["productpage:9080=100"] : []);
        assert.equal(rule === undefined, !hit);
      });
  });
});

const fooServices = `
apiVersion: v1
kind: Service
metadata: {name: foo-v1}
spec: {selector: {app: foo, version: v1}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: foo-v2}
spec: {selector: {app: foo, version: v2}, ports: [{port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: prod-web-gw}
spec:
  gatewayClassName: example
  listeners: [{name: http, protocol: HTTP, port: 80}]
`;
const prodWeb = [{ name: "prod-web-gw" }];

describe("traffic-splitting guide (examples/standard/traffic-splitting)", () => {
  it("routes nothing while the example route has no parentRefs, and says so", () => {
    const result = run([...corpusFiles(["gateway-api/examples/standard/traffic-splitting/traffic-split-2.yaml"]), inline(fooServices)]);
    assert.deepEqual(result.hosts, []);
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity, f.path, f.line]), [["MP0304", "info", "spec", 10]]);
  });

  it("traffic-split-1: the traffic=test header rule outranks the earlier catch-all rule", () => {
    const t = table(run([attached("gateway-api/examples/standard/traffic-splitting/traffic-split-1.yaml", prodWeb), inline(fooServices)]).hosts, "gateway:default/prod-web-gw", "foo.example.com", 80);
    assert.deepEqual(shares(t.rules[0]), ["foo-v2:8080=100"]);
    assert.deepEqual(shares(firstMatch(t, { path: "/", headers: { traffic: "test" } })), ["foo-v2:8080=100"]);
    assert.deepEqual(shares(firstMatch(t, { path: "/" })), ["foo-v1:8080=100"]);
  });

  it("traffic-split-2: splits foo.example.com 90/10", () => {
    const t = table(run([attached("gateway-api/examples/standard/traffic-splitting/traffic-split-2.yaml", prodWeb), inline(fooServices)]).hosts, "gateway:default/prod-web-gw", "foo.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/" })), ["foo-v1:8080=90", "foo-v2:8080=10"]);
  });

  it("traffic-split-3: weight 0 gets nothing, so foo-v2 takes 100%", () => {
    const t = table(run([attached("gateway-api/examples/standard/traffic-splitting/traffic-split-3.yaml", prodWeb), inline(fooServices)]).hosts, "gateway:default/prod-web-gw", "foo.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/" })), ["foo-v2:8080=100"]);
  });

  it("simple-split: splits every host on the listener 90/10", () => {
    const t = table(run([attached("gateway-api/examples/standard/traffic-splitting/simple-split.yaml", prodWeb), inline(fooServices)]).hosts, "gateway:default/prod-web-gw", "*", 80);
    assert.deepEqual(shares(t.rules[0]), ["foo-v1:8080=90", "foo-v2:8080=10"]);
  });
});

describe("PathPrefix matches whole path elements (examples/standard/httproute.yaml)", () => {
  const services = ["my-service-1", "my-service-2", "my-service-3"]
    .map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec: {ports: [{port: 8080}]}\n`)
    .join("---\n");
  const t = table(run([attached("gateway-api/examples/standard/httproute.yaml", prodWeb), inline(`${services}---\n${fooServices}`)]).hosts, "gateway:default/prod-web-gw", "*", 80);
  const cases: [string, string | null][] = [
    ["/mypath", "my-service-1"],
    ["/mypath/", "my-service-1"],
    ["/mypath/sub", "my-service-1"],
    ["/mypath-012", "my-service-2"],
    ["/mypath-012/x", "my-service-2"],
    ["/mypathx", null],
    ["/my%20path/123", "my-service-3"],
  ];
  for (const [path, svc] of cases)
    it(`${svc ? `routes ${path} to ${svc}` : `does not route ${path}`}`, () => {
      const rule = firstMatch(t, { path });
      assert.deepEqual(shares(rule), svc ? [`${svc}:8080=100`] : []);
    });
});

describe("http-routing guide: one Gateway, a table per hostname", () => {
  const services = ["foo-svc", "bar-svc", "bar-svc-canary", "example-svc"]
    .map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec: {ports: [{port: 8080}, {port: 80}]}\n`)
    .join("---\n");
  const result = run([
    ...corpusFiles([
      "gateway-api/examples/standard/http-routing/gateway.yaml",
      "gateway-api/examples/standard/http-routing/foo-httproute.yaml",
      "gateway-api/examples/standard/http-routing/bar-httproute.yaml",
    ]),
    inline(services),
  ]);
  const gw = "gateway:default/example-gateway";

  it("builds tables for bar.example.com, example.com and foo.example.com on port 80", () => {
    assert.deepEqual(result.hosts.map((h) => h.key), [
      `gateway-api|${gw}|bar.example.com|80|http`,
      `gateway-api|${gw}|example.com|80|http`,
      `gateway-api|${gw}|foo.example.com|80|http`,
    ]);
    assert.deepEqual(result.findings, []);
  });

  it("routes env: canary on bar.example.com to bar-svc-canary and the rest to bar-svc", () => {
    const t = table(result.hosts, gw, "bar.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/", headers: { env: "canary" } })), ["bar-svc-canary:8080=100"]);
    assert.deepEqual(shares(firstMatch(t, { path: "/", headers: { env: "prod" } })), ["bar-svc:8080=100"]);
  });

  it("routes foo.example.com/login to foo-svc but not /loginx", () => {
    const t = table(result.hosts, gw, "foo.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/login/form" })), ["foo-svc:8080=100"]);
    assert.equal(firstMatch(t, { path: "/loginx" }), undefined);
  });

  it("records the Gateway listener and the route as origins of the host", () => {
    const t = table(result.hosts, gw, "foo.example.com", 80);
    assert.deepEqual(t.origins.map((o) => `${o.resource.kind}/${o.resource.name} ${o.path}`), ["Gateway/example-gateway spec.listeners[0]", "HTTPRoute/foo-route "]);
  });
});

describe("request mirroring (examples/standard/http-request-mirroring)", () => {
  it("mirrors 100% of mirror.example requests to foo-v2 while foo-v1 answers", () => {
    const gateway = `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: mirror-gateway}\nspec:\n  gatewayClassName: example\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n`;
    const result = run([...corpusFiles(["gateway-api/examples/standard/http-request-mirroring/httproute-mirroring.yaml"]), inline(`${fooServices}---\n${gateway}`)]);
    const t = table(result.hosts, "gateway:default/mirror-gateway", "mirror.example", 80);
    assert.deepEqual(shares(t.rules[0]), ["foo-v1:8080=100"]);
    assert.deepEqual(t.rules[0]!.policies.mirror, [{ service: "foo-v2.default.svc.cluster.local", subset: null, port: 8080, percentage: 100 }]);
  });
});

const svc = (name: string, ns = "default") => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n`;
const gatewayYaml = (listeners: string, ns = "default") =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: ${ns}}\nspec:\n  gatewayClassName: example\n  listeners:\n${listeners}`;
const httpListener = "  - {name: http, protocol: HTTP, port: 80}\n";
const routeYaml = (name: string, spec: string, meta = "") =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: ${name}${meta}}\nspec:\n  parentRefs: [{name: gw}]\n${spec}`;
const docs = (...d: string[]) => inline(d.join("---\n"));

describe("backendRef weights (apis/v1 BackendRef.weight)", () => {
  const cases: [string, string, string[]][] = [
    ["weight defaults to 1: two backends split 50/50", "    - {name: a, port: 80}\n    - {name: b, port: 80}\n", ["a:80=50", "b:80=50"]],
    ["three equal weights sum to exactly 100 by largest remainder", "    - {name: a, port: 80}\n    - {name: b, port: 80}\n    - {name: c, port: 80}\n", ["a:80=33.34", "b:80=33.33", "c:80=33.33"]],
    ["weight 0 gets nothing", "    - {name: a, port: 80, weight: 0}\n    - {name: b, port: 80, weight: 3}\n", ["b:80=100"]],
    ["all weights 0: no backend (HTTP 500)", "    - {name: a, port: 80, weight: 0}\n    - {name: b, port: 80, weight: 0}\n", []],
    ["a 1-in-1000 canary keeps its 0.1%", "    - {name: a, port: 80, weight: 999}\n    - {name: b, port: 80, weight: 1}\n", ["a:80=99.9", "b:80=0.1"]],
  ];
  for (const [name, refs, expected] of cases)
    it(name, () => {
      const result = run([docs(svc("a"), svc("b"), svc("c"), gatewayYaml(httpListener), routeYaml("r", `  rules:\n  - backendRefs:\n${refs}`))]);
      assert.deepEqual(shares(table(result.hosts, "gateway:default/gw", "*", 80).rules[0]), expected);
    });

  it("no backendRefs: the rule matches but has no backend (HTTP 500)", () => {
    const result = run([docs(gatewayYaml(httpListener), routeYaml("r", "  rules:\n  - matches: [{path: {type: Exact, value: /x}}]\n"))]);
    const rule = table(result.hosts, "gateway:default/gw", "*", 80).rules[0]!;
    assert.deepEqual(rule.matches, [{ uri: { type: "exact", value: "/x" } }]);
    assert.deepEqual(rule.backends, []);
  });
});

describe("cross-namespace backendRefs (GEP-709 ReferenceGrant)", () => {
  const route = routeYaml(
    "r",
    "  rules:\n  - backendRefs:\n    - {name: local, port: 80}\n    - {name: remote, namespace: other, port: 80}\n",
  );
  const grant = `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: allow, namespace: other}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]\n  to: [{group: "", kind: Service}]\n`;

  it("marks a backend in another namespace without a ReferenceGrant unavailable; its 50% share gets HTTP 500", () => {
    const result = run([docs(svc("local"), svc("remote", "other"), gatewayYaml(httpListener), route)]);
    const rule = table(result.hosts, "gateway:default/gw", "*", 80).rules[0]!;
    assert.deepEqual(shares(rule), ["local:80=50", "remote:80=50"]);
    assert.deepEqual(rule.backends.map((b) => b.unavailable !== undefined), [false, true]);
    assert.match(rule.backends[1]!.unavailable ?? "", /ReferenceGrant/);
    assert.deepEqual(result.findings.map((f) => [f.code, f.path, f.line]), [["MP0303", "spec.rules[0].backendRefs[1]", 27]]);
  });

  it("includes it once a ReferenceGrant in the backend's namespace allows the route", () => {
    const result = run([docs(svc("local"), svc("remote", "other"), gatewayYaml(httpListener), route, grant)]);
    assert.deepEqual(shares(table(result.hosts, "gateway:default/gw", "*", 80).rules[0]), ["local:80=50", "remote:80=50"]);
    assert.deepEqual(result.findings, []);
  });

  it("a grant naming another Service does not allow this one", () => {
    const narrow = grant.replace('kind: Service}', "kind: Service, name: someone-else}");
    const result = run([docs(svc("local"), svc("remote", "other"), gatewayYaml(httpListener), route, narrow)]);
    assert.deepEqual(result.findings.map((f) => f.code), ["MP0303"]);
  });
});

describe("parent attachment and listener hostnames", () => {
  it("reports a parentRef to a Gateway that is not in the tree at the parentRef", () => {
    const result = run(corpusFiles(["gateway-api/examples/standard/http-routing/foo-httproute.yaml"]));
    assert.deepEqual(result.hosts, []);
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity, f.path, f.line]), [["MP0301", "error", "spec.parentRefs[0]", 9]]);
  });

  it("reports a parentRef to a Service that is not in the tree", () => {
    const result = run(corpusFiles(["bookinfo/gateway-api/route-reviews-v1.yaml"]));
    assert.deepEqual(result.findings.map((f) => [f.code, f.path]), [["MP0301", "spec.parentRefs[0]"]]);
  });

  it("reports backendRefs to Services that are not in the tree, keeping them as the route's intent", () => {
    const result = run(corpusFiles(["gateway-api/examples/standard/basic-http.yaml"]));
    const t = table(result.hosts, "gateway:default/my-gateway", "foo.com", 80);
    assert.deepEqual(t.rules.map(shares), [["my-service2:8080=100"], ["my-service1:8080=100"]]);
    assert.ok(t.rules.every((r) => r.backends[0]!.selector === null));
    assert.deepEqual(result.findings.map((f) => [f.code, f.path]).sort(), [
      ["MP0302", "spec.rules[0].backendRefs[0]"],
      ["MP0302", "spec.rules[1].backendRefs[0]"],
    ]);
  });

  it("a listener allowing only its own namespace (allowedRoutes from: Same) refuses a route from another", () => {
    const other = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: intruder, namespace: other}\nspec:\n  parentRefs: [{name: bookinfo-gateway, namespace: default}]\n  rules: [{backendRefs: [{name: productpage, namespace: default, port: 9080}]}]\n`;
    const result = run([...corpusFiles(["bookinfo/platform/kube/bookinfo.yaml", "bookinfo/gateway-api/bookinfo-gateway.yaml"]), inline(other)]);
    const t = table(result.hosts, "gateway:default/bookinfo-gateway", "*", 80);
    assert.ok(t.rules.every((r) => r.origin.resource.name === "bookinfo"));
    assert.deepEqual(result.findings.map((f) => [f.code, f.resource?.name]), [["MP0305", "intruder"]]);
  });

  it("intersects route hostnames with a wildcard listener and drops those outside it", () => {
    const result = run([
      docs(svc("a"), gatewayYaml("  - {name: http, protocol: HTTP, port: 80, hostname: '*.example.com'}\n"), routeYaml("r", "  hostnames: [foo.example.com, foo.example.net]\n  rules: [{backendRefs: [{name: a, port: 80}]}]\n")),
    ]);
    assert.deepEqual(result.hosts.map((h) => h.host), ["foo.example.com"]);
  });

  it("narrows a wildcard route hostname to an exact listener hostname", () => {
    const result = run([
      docs(svc("a"), gatewayYaml("  - {name: http, protocol: HTTP, port: 80, hostname: foo.example.com}\n"), routeYaml("r", "  hostnames: ['*.example.com']\n  rules: [{backendRefs: [{name: a, port: 80}]}]\n")),
    ]);
    assert.deepEqual(result.hosts.map((h) => h.host), ["foo.example.com"]);
  });

  it("refuses a route whose hostnames all fall outside the listener hostname", () => {
    const result = run([
      docs(svc("a"), gatewayYaml("  - {name: http, protocol: HTTP, port: 80, hostname: foo.example.com}\n"), routeYaml("r", "  hostnames: [bar.example.com]\n  rules: [{backendRefs: [{name: a, port: 80}]}]\n")),
    ]);
    assert.deepEqual(result.hosts, []);
    assert.deepEqual(result.findings.map((f) => f.code), ["MP0305"]);
  });

  it("serves a host from the listener with the most specific hostname only", () => {
    const listeners = "  - {name: any, protocol: HTTP, port: 80}\n  - {name: foo, protocol: HTTP, port: 80, hostname: foo.example.com}\n";
    const result = run([
      docs(
        svc("a"),
        svc("b"),
        gatewayYaml(listeners),
        routeYaml("catch-all", "  rules: [{backendRefs: [{name: a, port: 80}]}]\n").replace("[{name: gw}]", "[{name: gw, sectionName: any}]"),
        routeYaml("foo", "  rules: [{matches: [{path: {type: Exact, value: /only}}], backendRefs: [{name: b, port: 80}]}]\n").replace("[{name: gw}]", "[{name: gw, sectionName: foo}]"),
      ),
    ]);
    const foo = table(result.hosts, "gateway:default/gw", "foo.example.com", 80);
    assert.deepEqual(foo.rules.map((r) => shares(r)), [["b:80=100"]]);
    assert.deepEqual(shares(table(result.hosts, "gateway:default/gw", "*", 80).rules[0]), ["a:80=100"]);
  });
});

describe("precedence across routes on one host", () => {
  const two = (olderFirst: boolean) =>
    run([
      docs(
        svc("a"),
        svc("b"),
        svc("c"),
        gatewayYaml(httpListener),
        routeYaml("zeta", "  hostnames: [shop.example.com]\n  rules: [{matches: [{path: {value: /cart}}], backendRefs: [{name: a, port: 80}]}]\n", olderFirst ? ", creationTimestamp: '2020-01-01T00:00:00Z'" : ""),
        routeYaml("alpha", "  hostnames: [shop.example.com]\n  rules: [{matches: [{path: {value: /cart}}], backendRefs: [{name: b, port: 80}]}]\n", olderFirst ? ", creationTimestamp: '2021-01-01T00:00:00Z'" : ""),
        routeYaml("wild", "  hostnames: ['*.example.com']\n  rules: [{matches: [{path: {type: Exact, value: /cart}}], backendRefs: [{name: c, port: 80}]}]\n"),
      ),
    ]);

  it("gives an identical match to the oldest route", () => {
    const t = table(two(true).hosts, "gateway:default/gw", "shop.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/cart/1" })), ["a:80=100"]);
  });

  it("breaks a tie in age by namespace/name", () => {
    const t = table(two(false).hosts, "gateway:default/gw", "shop.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/cart/1" })), ["b:80=100"]);
  });

  it("ranks an exact hostname's rules above a wildcard hostname's, even an Exact path", () => {
    const t = table(two(true).hosts, "gateway:default/gw", "shop.example.com", 80);
    assert.deepEqual(shares(firstMatch(t, { path: "/cart" })), ["a:80=100"]);
    assert.deepEqual(t.rules.map((r) => r.origin.resource.name), ["zeta", "alpha", "wild"]);
  });

  it("gives every rule an id unique within its host, derived from the match and not the position", () => {
    const t = table(two(true).hosts, "gateway:default/gw", "shop.example.com", 80);
    assert.deepEqual(t.rules.map((r) => r.id), ["pathPrefix:/cart @default/zeta", "pathPrefix:/cart @default/alpha", "exact:/cart"]);
  });
});

describe("filters and timeouts become policies", () => {
  const rule = (spec: string) => {
    const result = run([docs(svc("a"), svc("b"), gatewayYaml(httpListener), routeYaml("r", spec))]);
    return table(result.hosts, "gateway:default/gw", "*", 80).rules[0]!;
  };

  it("RequestRedirect defaults to 302 and carries scheme, hostname and path", () => {
    const r = rule("  rules:\n  - filters:\n    - type: RequestRedirect\n      requestRedirect: {scheme: https, hostname: secure.example.com, path: {type: ReplaceFullPath, replaceFullPath: /login}}\n");
    assert.deepEqual(r.policies.redirect, { statusCode: 302, scheme: "https", authority: "secure.example.com", uri: "/login" });
    assert.deepEqual(r.backends, []);
  });

  it("URLRewrite ReplacePrefixMatch replaces the matched prefix", () => {
    const r = rule("  rules:\n  - matches: [{path: {type: PathPrefix, value: /old}}]\n    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}]\n    backendRefs: [{name: a, port: 80}]\n");
    assert.deepEqual(r.policies.rewrite, { uri: "/new" });
  });

  it("header modifiers, a mirror fraction, request timeout and retry", () => {
    const r = rule(
      "  rules:\n  - filters:\n    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: prod}], remove: [x-debug]}}\n" +
        "    - {type: RequestMirror, requestMirror: {backendRef: {name: b, port: 80}, fraction: {numerator: 1, denominator: 4}}}\n" +
        "    backendRefs: [{name: a, port: 80}]\n    timeouts: {request: 10s, backendRequest: 2s}\n    retry: {attempts: 3, codes: [502, 503]}\n",
    );
    assert.deepEqual(r.policies.headers, { request: { set: { "x-env": "prod" }, remove: ["x-debug"] } });
    assert.deepEqual(r.policies.mirror, [{ service: "b.default.svc.cluster.local", subset: null, port: 80, percentage: 25 }]);
    assert.equal(r.policies.timeout, "10s");
    assert.deepEqual(r.policies.retries, { attempts: 3, perTryTimeout: "2s", retryOn: "502,503" });
  });

  it("lower-cases header match names and keeps only the first entry per name", () => {
    const r = rule("  rules:\n  - matches: [{headers: [{name: X-User, value: a}, {name: x-user, value: b}], queryParams: [{name: Q, value: '1'}, {name: q, value: '2'}]}]\n    backendRefs: [{name: a, port: 80}]\n");
    assert.deepEqual(r.matches[0]!.headers, [{ name: "x-user", match: { type: "exact", value: "a" } }]);
    assert.deepEqual(r.matches[0]!.queryParams, [
      { name: "Q", match: { type: "exact", value: "1" } },
      { name: "q", match: { type: "exact", value: "2" } },
    ]);
  });
});

describe("GRPCRoute", () => {
  const grpc = (rules: string) =>
    run([
      docs(
        svc("a"),
        svc("b"),
        svc("c"),
        svc("echo"),
        `apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\nspec:\n  parentRefs: [{group: "", kind: Service, name: echo, port: 80}]\n  rules:\n${rules}`,
      ),
    ]);

  it("matches service and method as the exact path /service/method of a POST, ranked by service then method length", () => {
    const result = grpc(
      "  - matches: [{method: {service: helloworld.Greeter}}]\n    backendRefs: [{name: a, port: 80}]\n" +
        "  - matches: [{method: {service: helloworld.Greeter, method: SayHello}}]\n    backendRefs: [{name: b, port: 80}]\n" +
        "  - matches: [{method: {method: SayHello}}]\n    backendRefs: [{name: c, port: 80}]\n",
    );
    const t = table(result.hosts, "mesh", "echo.default.svc.cluster.local", 80, "grpc");
    assert.deepEqual(
      t.rules.map((r) => [r.matches[0]!.uri, r.matches[0]!.method?.type === "exact" ? r.matches[0]!.method.value : null]),
      [
        [{ type: "exact", value: "/helloworld.Greeter/SayHello" }, "POST"],
        [{ type: "prefix", value: "/helloworld.Greeter/" }, "POST"],
        [{ type: "regex", value: "/[^/]+/SayHello" }, "POST"],
      ],
    );
    assert.deepEqual(shares(firstMatch(t, { path: "/helloworld.Greeter/SayGoodbye", method: "POST" })), ["a:80=100"]);
    assert.deepEqual(shares(firstMatch(t, { path: "/other.Svc/SayHello", method: "POST" })), ["c:80=100"]);
  });

  it("takes precedence over an HTTPRoute bound to the same Service and port (GEP-1426)", () => {
    const http = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h}\nspec:\n  parentRefs: [{group: "", kind: Service, name: echo, port: 80}]\n  rules: [{backendRefs: [{name: a, port: 80}]}]\n`;
    const result = run([
      docs(svc("a"), svc("echo"), http, `apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\nspec:\n  parentRefs: [{group: "", kind: Service, name: echo, port: 80}]\n  rules: [{backendRefs: [{name: a, port: 80}]}]\n`),
    ]);
    assert.deepEqual(result.hosts.map((h) => h.protocol), ["grpc"]);
    assert.deepEqual(result.findings.map((f) => [f.code, f.resource?.name]), [["MP0305", "h"]]);
  });
});

describe("ServiceImport parents (GEP-1748, examples/standard/multicluster)", () => {
  it("attaches httproute-gamma to store.default.svc.clusterset.local and routes /cart to the cart ServiceImport", () => {
    const t = table(run(corpusFiles(["gateway-api/examples/standard/multicluster/httproute-gamma.yaml"])).hosts, "mesh", "store.default.svc.clusterset.local");
    assert.deepEqual(t.rules.map((r) => r.backends.map((b) => b.service)), [["cart.default.svc.clusterset.local"]]);
  });
});

describe("every Gateway API corpus file", () => {
  const root = corpusPath("gateway-api");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (/\.ya?ml$/.test(name)) files.push(`gateway-api/${abs.slice(root.length + 1)}`);
    }
  };
  walk(root);

  for (const file of files)
    it(`${file} loads through gatewayApiRoutes without throwing, with unique rule ids per host`, () => {
      const result = run(corpusFiles([file]));
      for (const h of result.hosts) {
        assert.equal(new Set(h.rules.map((r) => r.id)).size, h.rules.length);
        for (const r of h.rules) {
          const sum = r.backends.reduce((s, b) => s + b.weight, 0);
          assert.ok(sum <= 100 + 1e-9, `${h.key} ${r.id} sums to ${sum}`);
        }
      }
      for (const f of result.findings) assert.ok(f.line !== null && f.path !== null, `${f.code} has a location`);
    });

  it("all of them together, with bookinfo, load without throwing", () => {
    const result = run(corpusFiles(["gateway-api", "bookinfo/platform/kube/bookinfo.yaml", "bookinfo/platform/kube/bookinfo-versions.yaml", "bookinfo/gateway-api"]));
    assert.ok(result.hosts.length > 0);
  });
});
