/**
 * Ingress routing tables as ingress-nginx serves them: path types and their
 * order, named ports, default backends, the removed v1beta1 shapes, and the
 * canary annotations (ingress-nginx "Annotations" > "Canary"). Tables are read
 * first-match, so the order the engine produced is what is tested.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SourceFile } from "../../../src/manifests/types.js";
import { ingressRoutes } from "../../../src/routing/ingress/ingress-routes.js";
import { ruleMatches } from "../../../src/routing/match.js";
import { requestFrom } from "../../../src/routing/trace.js";
import type { EffectiveRule, HostRoutes } from "../../../src/routing/types.js";
import { corpusFiles, modelFromFiles } from "../../support/model.js";

type Req = Parameters<typeof requestFrom>[0];

function run(files: SourceFile[]) {
  const { model, findings } = modelFromFiles(files);
  assert.deepEqual(findings.filter((f) => f.severity === "error").map((f) => f.message), [], "the test manifests load cleanly");
  return ingressRoutes(model);
}

const docs = (...d: string[]): SourceFile => ({ path: "inline.yaml", content: d.join("---\n") });

function table(hosts: HostRoutes[], attachment: string, host: string): HostRoutes {
  const found = hosts.find((h) => h.attachment === attachment && h.host === host);
  assert.ok(found, `no table ${attachment} ${host} in ${hosts.map((h) => h.key).join(", ")}`);
  return found;
}

function firstMatch(t: HostRoutes, req: Partial<Req>): EffectiveRule | undefined {
  const request = requestFrom({ host: t.host, attachment: t.attachment, ...req });
  return t.rules.find((r) => ruleMatches(r, request));
}

/** `web:80=80` (short service name) for compact expectations. */
function shares(rule: EffectiveRule | undefined): string[] {
  return (rule?.backends ?? []).map((b) => `${b.service.split(".")[0]}${b.port ? `:${b.port}` : ""}=${b.weight}`);
}

const service = (name: string, ports = "[{name: http, port: 80}]", ns = "shop") =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports: ${ports}\n`;

const ingress = (name: string, paths: string, opts: { annotations?: Record<string, string>; host?: string; extraSpec?: string } = {}) => {
  const ann = Object.entries(opts.annotations ?? {})
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
    .join("");
  return (
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: shop\n${ann ? `  annotations:\n${ann}` : ""}` +
    `spec:\n  ingressClassName: nginx\n${opts.extraSpec ?? ""}  rules:\n  - host: ${opts.host ?? "shop.example.com"}\n    http:\n      paths:\n${paths}`
  );
};
const path = (p: string, type: string, svc: string, port = "number: 80") =>
  `      - path: ${p}\n        pathType: ${type}\n        backend: {service: {name: ${svc}, port: {${port}}}}\n`;

describe("OSM ingress-nginx demo (demos/ingress_k8s_nginx)", () => {
  const httpbin = service("httpbin", "[{name: http, port: 14001}]", "httpbin");
  for (const file of ["L066-098_Ingress-httpbin_IngressBackend-httpbin.yaml", "L142-185_Ingress-httpbin_IngressBackend-httpbin.yaml"])
    it(`${file}: class nginx, every host, Prefix / -> httpbin:14001`, () => {
      const result = run([...corpusFiles([`osm/docs-extracted/demos__ingress_k8s_nginx/${file}`]), docs(httpbin)]);
      const t = table(result.hosts, "ingress:nginx", "*");
      assert.equal(t.key, "ingress|ingress:nginx|*|*|http");
      assert.deepEqual(t.rules.map((r) => r.matches), [[{ uri: { type: "pathPrefix", value: "/" } }]]);
      assert.deepEqual(shares(firstMatch(t, { host: "anything.example", path: "/status/200" })), ["httpbin:14001=100"]);
      assert.equal(t.rules[0]!.origin.path, "spec.rules[0].http.paths[0]");
      assert.deepEqual(result.findings, []);
    });

  it("reports the httpbin Service missing from the tree, keeping the backend as the Ingress's intent", () => {
    const result = run(corpusFiles(["osm/docs-extracted/demos__ingress_k8s_nginx/L066-098_Ingress-httpbin_IngressBackend-httpbin.yaml"]));
    assert.deepEqual(shares(table(result.hosts, "ingress:nginx", "*").rules[0]), ["httpbin:14001=100"]);
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity, f.path, f.line]), [["MP0313", "error", "spec.rules[0].http.paths[0]", 11]]);
  });
});

describe("path types and their order (Ingress spec 'Multiple matches'; ingress-nginx locations)", () => {
  const result = run([
    docs(
      service("web"),
      service("api"),
      service("health"),
      service("legacy"),
      ingress(
        "web",
        path("/", "Prefix", "web") +
          path("/api", "Prefix", "api") +
          path("/api/health", "Exact", "health") +
          path("/legacy", "ImplementationSpecific", "legacy"),
      ),
    ),
  ]);
  const t = table(result.hosts, "ingress:nginx", "shop.example.com");

  it("orders Exact first, then prefixes longest first, / last", () => {
    assert.deepEqual(
      t.rules.map((r) => r.matches[0]!.uri),
      [
        { type: "exact", value: "/api/health" },
        { type: "prefix", value: "/legacy" },
        { type: "pathPrefix", value: "/api" },
        { type: "pathPrefix", value: "/" },
      ],
    );
  });

  const cases: [string, string][] = [
    ["/api/health", "health"],
    ["/api/health/deep", "api"],
    ["/api", "api"],
    ["/api/", "api"],
    ["/apis", "web"],
    ["/legacy", "legacy"],
    ["/legacyx", "legacy"],
    ["/", "web"],
  ];
  for (const [p, svc] of cases)
    it(`routes ${p} to ${svc}`, () => assert.deepEqual(shares(firstMatch(t, { path: p })), [`${svc}:80=100`]));
});

describe("use-regex (ingress-nginx 'Ingress Path Matching')", () => {
  const result = run([
    docs(
      service("web"),
      service("api"),
      ingress("web", path("/", "Prefix", "web")),
      ingress("api", path("/api/v[0-9]+/.*", "ImplementationSpecific", "api"), { annotations: { "nginx.ingress.kubernetes.io/use-regex": "true" } }),
    ),
  ]);
  const t = table(result.hosts, "ingress:nginx", "shop.example.com");

  it("turns every location of the host into a case-insensitive regex anchored at the start, longest first", () => {
    assert.deepEqual(
      t.rules.map((r) => r.matches[0]!.uri),
      [
        { type: "regex", value: "(?i)(?:/api/v[0-9]+/.*).*" },
        { type: "regex", value: "(?i)(?:/).*" },
      ],
    );
  });

  const cases: [string, string][] = [
    ["/api/v2/orders", "api"],
    ["/API/V2/orders", "api"],
    ["/api/vX/orders", "web"],
  ];
  for (const [p, svc] of cases)
    it(`routes ${p} to ${svc}`, () => assert.deepEqual(shares(firstMatch(t, { path: p })), [`${svc}:80=100`]));

  it("leaves other hosts as plain locations", () => {
    const other = run([docs(service("web"), ingress("web", path("/", "Prefix", "web"), { host: "other.example.com" }))]);
    assert.deepEqual(table(other.hosts, "ingress:nginx", "other.example.com").rules[0]!.matches[0]!.uri, { type: "pathPrefix", value: "/" });
  });
});

describe("backend ports", () => {
  it("resolves a named port through the Service", () => {
    const result = run([docs(service("web", "[{name: http, port: 8080}, {name: admin, port: 9090}]"), ingress("web", path("/", "Prefix", "web", "name: admin")))]);
    assert.deepEqual(shares(table(result.hosts, "ingress:nginx", "shop.example.com").rules[0]), ["web:9090=100"]);
  });

  it("reports a port name the Service does not have, at the port", () => {
    const result = run([docs(service("web"), ingress("web", path("/", "Prefix", "web", "name: grpc")))]);
    assert.deepEqual(table(result.hosts, "ingress:nginx", "shop.example.com").rules[0]!.backends, []);
    assert.deepEqual(result.findings.map((f) => [f.code, f.path]), [["MP0314", "spec.rules[0].http.paths[0].backend.service.port"]]);
  });
});

describe("default backends", () => {
  it("serves requests no path matches from spec.defaultBackend, as the last rule of the Ingress's host", () => {
    const result = run([
      docs(service("web"), service("fallback"), ingress("web", path("/api", "Prefix", "web"), { extraSpec: "  defaultBackend: {service: {name: fallback, port: {number: 80}}}\n" })),
    ]);
    const t = table(result.hosts, "ingress:nginx", "shop.example.com");
    assert.deepEqual(t.rules.at(-1)!.matches, []);
    assert.equal(t.rules.at(-1)!.origin.path, "spec.defaultBackend");
    assert.deepEqual(shares(firstMatch(t, { path: "/elsewhere" })), ["fallback:80=100"]);
    assert.deepEqual(shares(firstMatch(t, { path: "/api/x" })), ["web:80=100"]);
  });

  it("an Ingress with only a defaultBackend serves every host", () => {
    const only = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: catch-all, namespace: shop}\nspec:\n  ingressClassName: nginx\n  defaultBackend: {service: {name: fallback, port: {number: 80}}}\n`;
    const result = run([docs(service("fallback"), only)]);
    const t = table(result.hosts, "ingress:nginx", "*");
    assert.deepEqual(t.rules.map((r) => [r.matches, shares(r)]), [[[], ["fallback:80=100"]]]);
  });

  it("a Prefix / path replaces the default backend's root", () => {
    const result = run([
      docs(service("web"), service("fallback"), ingress("web", path("/", "Prefix", "web"), { extraSpec: "  defaultBackend: {service: {name: fallback, port: {number: 80}}}\n" })),
    ]);
    assert.deepEqual(table(result.hosts, "ingress:nginx", "shop.example.com").rules.map(shares), [["web:80=100"]]);
  });
});

describe("ingress class", () => {
  const bare = (name: string, meta = "") =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}, namespace: shop${meta}}\nspec:\n  rules:\n  - host: ${name}.example.com\n    http:\n      paths:\n${path("/", "Prefix", "web")}`;
  const cases: [string, string[], string][] = [
    ["uses the kubernetes.io/ingress.class annotation when ingressClassName is absent", [bare("a", ", annotations: {kubernetes.io/ingress.class: internal}")], "ingress:internal"],
    ["uses the IngressClass marked is-default-class when neither is set", [bare("b"), `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: public, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}\nspec: {controller: k8s.io/ingress-nginx}\n`], "ingress:public"],
    ["falls back to 'default' without any class", [bare("c")], "ingress:default"],
  ];
  for (const [name, extra, attachment] of cases)
    it(name, () => {
      const result = run([docs(service("web"), ...extra)]);
      assert.deepEqual(result.hosts.map((h) => h.attachment), [attachment]);
    });
});

describe("removed Ingress versions are routed like networking.k8s.io/v1", () => {
  const legacy = (apiVersion: string) =>
    `apiVersion: ${apiVersion}\nkind: Ingress\nmetadata:\n  name: legacy\n  namespace: shop\n  annotations: {kubernetes.io/ingress.class: nginx}\nspec:\n  backend: {serviceName: fallback, servicePort: 80}\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /api\n        backend: {serviceName: web, servicePort: admin}\n`;
  for (const apiVersion of ["extensions/v1beta1", "networking.k8s.io/v1beta1"])
    it(`${apiVersion}: serviceName/servicePort by name, pathType ImplementationSpecific, spec.backend as default backend`, () => {
      const { model } = modelFromFiles([docs(service("web", "[{name: admin, port: 9090}]"), service("fallback"), legacy(apiVersion))]);
      const t = table(ingressRoutes(model).hosts, "ingress:nginx", "shop.example.com");
      assert.deepEqual(
        t.rules.map((r) => [r.matches, shares(r), r.origin.path]),
        [
          [[{ uri: { type: "prefix", value: "/api" } }], ["web:9090=100"], "spec.rules[0].http.paths[0]"],
          [[], ["fallback:80=100"], "spec.backend"],
        ],
      );
    });
});

describe("Ingresses sharing a host", () => {
  it("merges their paths into one table and keeps the older Ingress for a repeated path", () => {
    const result = run([
      docs(
        service("web"),
        service("new"),
        service("api"),
        ingress("zz-old", path("/", "Prefix", "web"), { extraSpec: "" }).replace("namespace: shop\n", "namespace: shop\n  creationTimestamp: '2020-01-01T00:00:00Z'\n"),
        ingress("aa-new", path("/", "Prefix", "new") + path("/api", "Prefix", "api")).replace("namespace: shop\n", "namespace: shop\n  creationTimestamp: '2024-01-01T00:00:00Z'\n"),
      ),
    ]);
    const t = table(result.hosts, "ingress:nginx", "shop.example.com");
    assert.deepEqual(t.rules.map(shares), [["api:80=100"], ["web:80=100"]]);
    assert.deepEqual(result.findings.map((f) => [f.code, f.resource?.name]), [["MP0312", "aa-new"]]);
  });
});

describe("ingress-nginx canary (Annotations > Canary; balancer.lua)", () => {
  const main = ingress("web", path("/", "Prefix", "web"));
  const canary = (annotations: Record<string, string>, p = path("/", "Prefix", "web-canary")) =>
    ingress("web-canary", p, { annotations: { "nginx.ingress.kubernetes.io/canary": "true", ...annotations } });
  const build = (annotations: Record<string, string>) => {
    const result = run([docs(service("web"), service("web-canary"), main, canary(annotations))]);
    return { result, t: table(result.hosts, "ingress:nginx", "shop.example.com") };
  };
  const MAIN = ["web:80=100"];
  const CANARY = ["web-canary:80=100"];

  const cases: [string, Record<string, string>, Partial<Req>, string[]][] = [
    ["canary-weight 20 splits 80/20", { "nginx.ingress.kubernetes.io/canary-weight": "20" }, {}, ["web:80=80", "web-canary:80=20"]],
    ["canary-weight 0 keeps everything on the main backend", { "nginx.ingress.kubernetes.io/canary-weight": "0" }, {}, MAIN],
    ["canary-weight 100 sends everything to the canary", { "nginx.ingress.kubernetes.io/canary-weight": "100" }, {}, CANARY],
    ["canary-weight-total 1000 makes weight 15 a 1.5% canary", { "nginx.ingress.kubernetes.io/canary-weight": "15", "nginx.ingress.kubernetes.io/canary-weight-total": "1000" }, {}, ["web:80=98.5", "web-canary:80=1.5"]],
    ["canary-by-header: always -> canary", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary" }, { headers: { "x-canary": "always" } }, CANARY],
    ["canary-by-header: never -> main, even with weight 100", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary", "nginx.ingress.kubernetes.io/canary-weight": "100" }, { headers: { "X-Canary": "never" } }, MAIN],
    ["canary-by-header: another value does not decide; the weight does", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary", "nginx.ingress.kubernetes.io/canary-weight": "30" }, { headers: { "x-canary": "maybe" } }, ["web:80=70", "web-canary:80=30"]],
    ["canary-by-header-value: the exact value -> canary", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Region", "nginx.ingress.kubernetes.io/canary-by-header-value": "eu" }, { headers: { "x-region": "eu" } }, CANARY],
    ["canary-by-header-value: another value falls through to the weight", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Region", "nginx.ingress.kubernetes.io/canary-by-header-value": "eu" }, { headers: { "x-region": "eu-west" } }, MAIN],
    ["canary-by-header-value: 'never' is just another value", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Region", "nginx.ingress.kubernetes.io/canary-by-header-value": "eu", "nginx.ingress.kubernetes.io/canary-weight": "100" }, { headers: { "x-region": "never" } }, CANARY],
    ["canary-by-header-pattern: a value the pattern finds -> canary", { "nginx.ingress.kubernetes.io/canary-by-header": "X-User", "nginx.ingress.kubernetes.io/canary-by-header-pattern": "^beta-" }, { headers: { "x-user": "beta-42" } }, CANARY],
    ["canary-by-header-pattern: no find -> main", { "nginx.ingress.kubernetes.io/canary-by-header": "X-User", "nginx.ingress.kubernetes.io/canary-by-header-pattern": "^beta-" }, { headers: { "x-user": "gamma-42" } }, MAIN],
    ["canary-by-cookie: always -> canary", { "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary" }, { headers: { cookie: "session=1; use_canary=always" } }, CANARY],
    ["canary-by-cookie: never -> main, even with weight 100", { "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary", "nginx.ingress.kubernetes.io/canary-weight": "100" }, { headers: { cookie: "use_canary=never" } }, MAIN],
    ["canary-by-cookie: another cookie of a similar name does not decide", { "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary" }, { headers: { cookie: "not_use_canary=always" } }, MAIN],
    ["precedence: header never beats cookie always", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary", "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary" }, { headers: { "x-canary": "never", cookie: "use_canary=always" } }, MAIN],
    ["precedence: an undecided header leaves it to the cookie", { "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary", "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary" }, { headers: { "x-canary": "perhaps", cookie: "use_canary=always" } }, CANARY],
    ["precedence: cookie never beats weight 100", { "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary", "nginx.ingress.kubernetes.io/canary-weight": "100" }, { headers: { cookie: "use_canary=never" } }, MAIN],
  ];
  for (const [name, annotations, req, expected] of cases)
    it(name, () => {
      const { t } = build(annotations);
      assert.deepEqual(shares(firstMatch(t, { path: "/cart", ...req })), expected);
    });

  it("expresses header, cookie and weight as ordered rules on the main path, the weighted split last", () => {
    const { t } = build({
      "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary",
      "nginx.ingress.kubernetes.io/canary-by-cookie": "use_canary",
      "nginx.ingress.kubernetes.io/canary-weight": "20",
    });
    assert.deepEqual(
      t.rules.map((r) => [r.name, shares(r), r.origin.resource.name]),
      [
        ["canary-by-header", CANARY, "web-canary"],
        ["canary-by-header", MAIN, "web-canary"],
        ["canary-by-cookie", CANARY, "web-canary"],
        ["canary-by-cookie", MAIN, "web-canary"],
        ["canary-weight", ["web:80=80", "web-canary:80=20"], "web"],
      ],
    );
    assert.equal(new Set(t.rules.map((r) => r.id)).size, t.rules.length);
    assert.ok(t.rules.every((r) => r.matches[0]!.uri?.type === "pathPrefix"));
  });

  it("does not route on its own: without a main Ingress for the same host and path it is a finding", () => {
    const result = run([docs(service("web"), service("web-canary"), main, canary({ "nginx.ingress.kubernetes.io/canary-weight": "50" }, path("/beta", "Prefix", "web-canary")))]);
    const t = table(result.hosts, "ingress:nginx", "shop.example.com");
    assert.deepEqual(t.rules.map(shares), [MAIN]);
    assert.deepEqual(result.findings.map((f) => [f.code, f.resource?.name, f.path]), [["MP0311", "web-canary", "spec.rules[0].http.paths[0]"]]);
  });

  it("only joins a main path with the same pathType", () => {
    const result = run([docs(service("web"), service("web-canary"), main, canary({ "nginx.ingress.kubernetes.io/canary-weight": "50" }, path("/", "ImplementationSpecific", "web-canary")))]);
    assert.deepEqual(result.findings.map((f) => f.code), ["MP0311"]);
  });

  it("a canary whose Service lacks the named port has no upstream, so the main backend keeps all traffic", () => {
    const result = run([docs(service("web"), service("web-canary"), main, canary({ "nginx.ingress.kubernetes.io/canary-weight": "50" }, path("/", "Prefix", "web-canary", "name: grpc")))]);
    assert.deepEqual(table(result.hosts, "ingress:nginx", "shop.example.com").rules.map(shares), [MAIN]);
    assert.deepEqual(result.findings.map((f) => f.code), ["MP0314"]);
  });

  it("a canary whose Service is not in the tree still splits, with a finding", () => {
    const result = run([docs(service("web"), main, canary({ "nginx.ingress.kubernetes.io/canary-weight": "50" }))]);
    assert.deepEqual(table(result.hosts, "ingress:nginx", "shop.example.com").rules.map(shares), [["web:80=50", "web-canary:80=50"]]);
    assert.deepEqual(result.findings.map((f) => f.code), ["MP0313"]);
  });

  it("is an ordinary Ingress for a class not served by ingress-nginx", () => {
    const traefik = `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: traefik.io/ingress-controller}\n`;
    const result = run([docs(service("web"), service("web-canary"), traefik, canary({ "nginx.ingress.kubernetes.io/canary-weight": "50" }))]);
    assert.deepEqual(table(result.hosts, "ingress:nginx", "shop.example.com").rules.map(shares), [CANARY]);
  });
});
