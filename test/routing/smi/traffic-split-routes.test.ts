import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Finding } from "../../../src/findings.js";
import { ruleMatches } from "../../../src/routing/match.js";
import { smiRoutes } from "../../../src/routing/smi/smi-routes.js";
import { requestFrom } from "../../../src/routing/trace.js";
import { emptyPolicies, type HostRoutes } from "../../../src/routing/types.js";
import { modelFromCorpus, modelFromYaml } from "../../support/model.js";
import { specSnippet } from "./spec-snippet.js";

const fqdn = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;

/** Each host key with its rules as `rule id -> service:weight` lines. */
function shares(hosts: HostRoutes[]): Record<string, string[]> {
  return Object.fromEntries(hosts.map((h) => [h.key, h.rules.map((r) => `${r.id} -> ${r.backends.map((b) => `${b.service}:${b.weight}`).join(" ")}`)]));
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.severity} ${f.path}`);
}

/** Plain Services (selector app=<name>) with the given ports, in one namespace. */
function services(ns: string, names: string[], ports = "  - {name: http, port: 80}\n"): string {
  return names
    .map((n) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\n  namespace: ${ns}\nspec:\n  selector: {app: ${n}}\n  ports:\n${ports}`)
    .join("---\n");
}

describe("TrafficSplit routes: the OSM bookstore demo", () => {
  const cases: [string, string, { service: string; weight: number; selector: Record<string, string> }[]][] = [
    ["osm/manifests/split/traffic-split-v1.yaml", "sends all bookstore traffic to bookstore-v1", [{ service: "bookstore-v1", weight: 100, selector: { app: "bookstore", version: "v1" } }]],
    [
      "osm/manifests/split/traffic-split-50-50.yaml",
      "splits bookstore traffic 50/50 between bookstore-v1 and bookstore-v2",
      [
        { service: "bookstore-v1", weight: 50, selector: { app: "bookstore", version: "v1" } },
        { service: "bookstore-v2", weight: 50, selector: { app: "bookstore", version: "v2" } },
      ],
    ],
    ["osm/manifests/split/traffic-split-v2.yaml", "moves all bookstore traffic to bookstore-v2 (v1 has weight 0)", [{ service: "bookstore-v2", weight: 100, selector: { app: "bookstore", version: "v2" } }]],
  ];
  for (const [file, name, expected] of cases) {
    it(name, () => {
      const { model } = modelFromCorpus(["osm/manifests/apps", file]);
      const r = smiRoutes(model);
      const origin = (line: number, column: number, path: string) => ({
        resource: { apiVersion: "split.smi-spec.io/v1alpha2", kind: "TrafficSplit", namespace: "bookstore", name: "bookstore-split" },
        file,
        line,
        column,
        path,
      });
      const backendsLine = file.endsWith("traffic-split-v1.yaml") ? 15 : 8;
      assert.deepEqual(r.hosts, [
        {
          key: "smi|mesh|bookstore.bookstore.svc.cluster.local|*|http",
          host: "bookstore.bookstore.svc.cluster.local",
          port: null,
          protocol: "http",
          source: "smi",
          attachment: "mesh",
          rules: [
            {
              id: "default",
              name: null,
              matches: [],
              backends: expected.map((b) => ({ service: fqdn(b.service, "bookstore"), subset: null, port: null, weight: b.weight, selector: b.selector })),
              policies: emptyPolicies(),
              origin: origin(backendsLine, 3, "spec.backends"),
            },
          ],
          origins: [origin(1, 1, "")],
        },
      ]);
      assert.deepEqual(r.findings.filter((f) => f.resource?.kind === "TrafficSplit"), []);
    });
  }

  it("resolves the root written as bookstore.bookstore in the split's namespace", () => {
    const { model } = modelFromCorpus(["osm/manifests/apps", "osm/manifests/split/traffic-split-v1.yaml"]);
    assert.deepEqual(smiRoutes(model).hosts.map((h) => h.host), ["bookstore.bookstore.svc.cluster.local"]);
  });
});

describe("TrafficSplit weights", () => {
  const cases: [string, string, string[], Record<string, string[]>][] = [
    [
      "reads v1alpha1 quantity weights 10m, 100m and 1500m as 0.62%, 6.21% and 93.17%",
      "smi/traffic-split/v1alpha1/L027-042_TrafficSplit-my-weights.yaml",
      ["numbers", "one", "two", "three"],
      { [`smi|mesh|${fqdn("numbers", "default")}|*|http`]: [`default -> ${fqdn("one", "default")}:0.62 ${fqdn("two", "default")}:6.21 ${fqdn("three", "default")}:93.17`] },
    ],
    [
      "reads v1alpha1 weights 1 and 500m as two thirds and one third",
      "smi/traffic-split/v1alpha1/L209-219_TrafficSplit-foobar-rollout.yaml",
      ["foobar", "foobar-v1", "foobar-v2"],
      { [`smi|mesh|${fqdn("foobar", "default")}|*|http`]: [`default -> ${fqdn("foobar-v1", "default")}:66.67 ${fqdn("foobar-v2", "default")}:33.33`] },
    ],
    [
      "gives a v1alpha1 backend with weight 0m nothing",
      "smi/traffic-split/v1alpha1/L176-186_TrafficSplit-foobar-rollout.yaml",
      ["foobar", "foobar-v1", "foobar-v2"],
      { [`smi|mesh|${fqdn("foobar", "default")}|*|http`]: [`default -> ${fqdn("foobar-v1", "default")}:100`] },
    ],
    [
      "reads v1alpha2 weights 1000 and 500 as about 33% to foobar-v2",
      "smi/traffic-split/v1alpha2/L206-216_TrafficSplit-foobar-rollout.yaml",
      ["foobar", "foobar-v1", "foobar-v2"],
      { [`smi|mesh|${fqdn("foobar", "default")}|*|http`]: [`default -> ${fqdn("foobar-v1", "default")}:66.67 ${fqdn("foobar-v2", "default")}:33.33`] },
    ],
    [
      "sends 10% to web-next and 90% to web-current (SMI example implementation)",
      "smi/traffic-split/v1alpha2/L308-318_TrafficSplit-my-canary.yaml",
      ["web", "web-next", "web-current"],
      { [`smi|mesh|${fqdn("web", "default")}|*|http`]: [`default -> ${fqdn("web-next", "default")}:10 ${fqdn("web-current", "default")}:90`] },
    ],
  ];
  for (const [name, file, svcNames, expected] of cases) {
    it(name, () => {
      const { model, findings } = modelFromYaml({ [file]: specSnippet(file, {}), "services.yaml": services("default", svcNames) });
      assert.deepEqual(findings, []);
      const r = smiRoutes(model);
      assert.deepEqual(shares(r.hosts), expected);
      assert.deepEqual(r.findings, []);
    });
  }

  it("sends traffic nowhere when every weight is 0, and says so at spec.backends", () => {
    const { model } = modelFromYaml({
      "split.yaml":
        "apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web\n  backends:\n  - {service: web-v1, weight: 0}\n  - {service: web-v2, weight: 0}\n",
      "services.yaml": services("shop", ["web", "web-v1", "web-v2"]),
    });
    const r = smiRoutes(model);
    assert.deepEqual(shares(r.hosts), { [`smi|mesh|${fqdn("web", "shop")}|*|http`]: ["default -> "] });
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.file, f.line, f.path]),
      [["MP0405", "error", "split.yaml", 6, "spec.backends"]],
    );
  });
});

describe("TrafficSplit matches (split.smi-spec.io/v1alpha4)", () => {
  const abTest = "smi/traffic-split/v1alpha4/L067-087_TrafficSplit-ab-test_HTTPRouteGroup-ab-test.yaml";
  // The spec writes this HTTPRouteGroup with top-level matches, the v1alpha1/v1alpha2 shape.
  const abTestYaml = specSnippet(abTest, { TrafficSplit: "split.smi-spec.io/v1alpha4", HTTPRouteGroup: "specs.smi-spec.io/v1alpha2" });

  it("sends Firefox users to website-v2 and everyone else to the root service", () => {
    const { model, findings } = modelFromYaml({ [abTest]: abTestYaml, "services.yaml": services("default", ["website", "website-v1", "website-v2"]) });
    assert.deepEqual(findings, []);
    const r = smiRoutes(model);
    assert.equal(r.hosts.length, 1);
    const host = r.hosts[0]!;
    assert.deepEqual(
      host.rules.map((rule) => ({ id: rule.id, matches: rule.matches, backends: rule.backends.map((b) => `${b.service}:${b.weight}`), path: rule.origin.path })),
      [
        {
          id: "matches:ab-test",
          matches: [{ headers: [{ name: "user-agent", match: { type: "regex", value: ".*Firefox.*" } }] }],
          backends: [`${fqdn("website-v2", "default")}:100`],
          path: "spec.matches",
        },
        { id: "default", matches: [], backends: [`${fqdn("website", "default")}:100`], path: "spec.service" },
      ],
    );
    assert.deepEqual(host.origins.map((o) => `${o.resource.kind}/${o.resource.name}`), ["TrafficSplit/ab-test", "HTTPRouteGroup/ab-test"]);

    const routeOf = (headers: Record<string, string>) =>
      host.rules.find((rule) => ruleMatches(rule, requestFrom({ host: "website", headers })))!.backends.map((b) => b.service);
    assert.deepEqual(routeOf({ "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" }), [fqdn("website-v2", "default")]);
    assert.deepEqual(routeOf({ "User-Agent": "curl/8.0" }), [fqdn("website", "default")]);
    assert.deepEqual(routeOf({}), [fqdn("website", "default")]);
  });

  it("turns pathRegex, methods and headers into one match block per method, merging the named matches", () => {
    const { model } = modelFromYaml({
      "routes.yaml": [
        "apiVersion: specs.smi-spec.io/v1alpha4",
        "kind: HTTPRouteGroup",
        "metadata: {name: the-routes, namespace: shop}",
        "spec:",
        "  matches:",
        "  - name: iphone-users",
        '    pathRegex: "/api/.*"',
        "    methods: [GET, HEAD]",
        "    headers:",
        '    - User-Agent: ".*iPhone.*"',
        "  - name: everything",
        '    pathRegex: ".*"',
        '    methods: ["*"]',
        "  - name: canary-host",
        "    headers: {host: canary.example.com}",
        "---",
        "apiVersion: split.smi-spec.io/v1alpha4",
        "kind: TrafficSplit",
        "metadata: {name: s, namespace: shop}",
        "spec:",
        "  service: web",
        "  matches:",
        "  - {kind: HTTPRouteGroup, name: the-routes, matches: [iphone-users, canary-host]}",
        "  backends:",
        "  - {service: web-next, weight: 1}",
        "",
      ].join("\n"),
      "services.yaml": services("shop", ["web", "web-next"]),
    });
    const r = smiRoutes(model);
    assert.deepEqual(r.findings, []);
    const iphone = { uri: { type: "regex", value: "/api/.*" }, headers: [{ name: "user-agent", match: { type: "regex", value: ".*iPhone.*" } }] };
    assert.deepEqual(r.hosts[0]!.rules[0]!.matches, [
      { ...iphone, method: { type: "exact", value: "GET" } },
      { ...iphone, method: { type: "exact", value: "HEAD" } },
      { authority: { type: "regex", value: "canary.example.com" } },
    ]);
    assert.equal(r.hosts[0]!.rules[0]!.id, "matches:the-routes[iphone-users,canary-host]");
  });

  it("reports a missing HTTPRouteGroup and a missing match name at the split's field, and routes all traffic to the root", () => {
    const { model } = modelFromYaml({
      "split.yaml": [
        "apiVersion: split.smi-spec.io/v1alpha4",
        "kind: TrafficSplit",
        "metadata: {name: s, namespace: shop}",
        "spec:",
        "  service: web",
        "  matches:",
        "  - kind: HTTPRouteGroup",
        "    name: nowhere",
        "  - kind: HTTPRouteGroup",
        "    name: the-routes",
        "    matches: [missing]",
        "  backends:",
        "  - {service: web-next, weight: 1}",
        "---",
        "apiVersion: specs.smi-spec.io/v1alpha4",
        "kind: HTTPRouteGroup",
        "metadata: {name: the-routes, namespace: shop}",
        "spec:",
        "  matches:",
        "  - {name: present, pathRegex: /x}",
        "",
      ].join("\n"),
      "services.yaml": services("shop", ["web", "web-next"]),
    });
    const r = smiRoutes(model);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.file, f.line, f.column, f.path]),
      [
        ["MP0403", "split.yaml", 8, 11, "spec.matches[0].name"],
        ["MP0403", "split.yaml", 11, 15, "spec.matches[1].matches[0]"],
      ],
    );
    // Nothing can match, so the only rule is the split itself.
    assert.deepEqual(shares(r.hosts), { [`smi|mesh|${fqdn("web", "shop")}|*|http`]: [`default -> ${fqdn("web-next", "shop")}:100`] });
  });
});

describe("TrafficSplit references", () => {
  it("reports a backend service missing from the tree at its field, and leaves it out", () => {
    const file = "osm/docs-extracted/overview__osm_components/L087-110_Service-bookstore_TrafficSplit-bookstore-traffic-split.yaml";
    const r = smiRoutes(modelFromCorpus([file]).model);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.file, f.line, f.column, f.path]),
      [["MP0401", "error", file, 23, 16, "spec.backends[0].service"]],
    );
    assert.deepEqual(shares(r.hosts), { [`smi|mesh|${fqdn("bookstore", "default")}|*|http`]: ["default -> "] });
  });

  it("reports a missing root service and missing backends of the bookstore split at their lines", () => {
    const file = "osm/manifests/split/traffic-split-v2.yaml";
    const r = smiRoutes(modelFromCorpus([file]).model);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.line, f.column, f.path]),
      [
        ["MP0402", "error", 7, 12, "spec.service"],
        // bookstore-v1 has weight 0: creating the split before the service is the SMI rollout workflow.
        ["MP0401", "warning", 9, 14, "spec.backends[0].service"],
        ["MP0401", "error", 11, 14, "spec.backends[1].service"],
      ],
    );
    assert.ok(r.findings.every((f) => f.file === file));
  });

  it("applies only the first of two TrafficSplits for one root service (OSM picks one)", () => {
    const split = (name: string, backend: string) =>
      `apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  service: web.shop.svc.cluster.local\n  backends:\n  - {service: ${backend}, weight: 1}\n`;
    const { model } = modelFromYaml({
      "a.yaml": split("first", "web-v1"),
      "b.yaml": split("second", "web-v2"),
      "services.yaml": services("shop", ["web", "web-v1", "web-v2"]),
    });
    const r = smiRoutes(model);
    assert.deepEqual(shares(r.hosts), { [`smi|mesh|${fqdn("web", "shop")}|*|http`]: [`default -> ${fqdn("web-v1", "shop")}:100`] });
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.file, f.line, f.path]),
      [["MP0404", "warning", "b.yaml", 5, "spec.service"]],
    );
  });

  it("warns when spec.service names another namespace than the split's", () => {
    const { model } = modelFromYaml({
      "split.yaml": "apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web.store\n  backends:\n  - {service: web-v1, weight: 1}\n",
      "services.yaml": services("shop", ["web", "web-v1"]),
    });
    const r = smiRoutes(model);
    assert.deepEqual(codes(r.findings), ["MP0408 warning spec.service"]);
    assert.deepEqual(r.hosts.map((h) => h.host), [fqdn("web", "shop")]);
  });

  it("ignores a split in a namespace the tree declares without the OSM monitored-by label", () => {
    const { model } = modelFromYaml({
      "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
      "split.yaml": "apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web\n  backends:\n  - {service: web-v1, weight: 1}\n",
      "services.yaml": services("shop", ["web", "web-v1"]),
    });
    const r = smiRoutes(model);
    assert.deepEqual(r.hosts, []);
    assert.deepEqual(codes(r.findings), ["MP0412 warning metadata.namespace"]);
  });
});

describe("TrafficSplit ports (SMI traffic-split: backends must share the root service port)", () => {
  const split = "apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: birds}\nspec:\n  service: birds\n  backends:\n  - {service: blue-birds, weight: 50}\n  - {service: green-birds, weight: 50}\n";

  it("splits both ports of birds between blue-birds and green-birds when they share them", () => {
    const file = "smi/traffic-split/v1alpha4/L121-161_Service-birds_Service-blue-birds_Service-green-birds.yaml";
    const r = smiRoutes(modelFromYaml({ [file]: specSnippet(file, {}), "split.yaml": split }).model);
    assert.deepEqual(shares(r.hosts), {
      [`smi|mesh|${fqdn("birds", "default")}|*|http`]: [`default -> ${fqdn("blue-birds", "default")}:50 ${fqdn("green-birds", "default")}:50`],
    });
    assert.deepEqual(r.findings, []);
  });

  it("sends birds:8080 only to green-birds when blue-birds listens on 1024", () => {
    const file = "smi/traffic-split/v1alpha4/L173-206_Service-birds_Service-blue-birds_Service-green-birds.yaml";
    const r = smiRoutes(modelFromYaml({ [file]: specSnippet(file, {}), "split.yaml": split }).model);
    assert.deepEqual(shares(r.hosts), { [`smi|mesh|${fqdn("birds", "default")}|*|http`]: [`default -> ${fqdn("green-birds", "default")}:100`] });
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.file, f.line, f.path]),
      [["MP0407", "warning", "split.yaml", 7, "spec.backends[0].service"]],
    );
  });

  it("gives each root port its own entry when the backends differ per port", () => {
    const ports = "  - {name: http, port: 80}\n  - {name: metrics, port: 9000, appProtocol: tcp}\n";
    const { model } = modelFromYaml({
      "services.yaml": [services("shop", ["web", "web-a"], ports), services("shop", ["web-b"])].join("---\n"),
      "split.yaml": "apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web\n  backends:\n  - {service: web-a, weight: 1}\n  - {service: web-b, weight: 1}\n",
    });
    const r = smiRoutes(model);
    assert.deepEqual(shares(r.hosts), {
      [`smi|mesh|${fqdn("web", "shop")}|80|http`]: [`default -> ${fqdn("web-a", "shop")}:50 ${fqdn("web-b", "shop")}:50`],
      [`smi|mesh|${fqdn("web", "shop")}|9000|tcp`]: [`default -> ${fqdn("web-a", "shop")}:100`],
    });
    assert.deepEqual(r.hosts.map((h) => h.rules[0]!.backends.map((b) => b.port)), [[80, 80], [9000]]);
    assert.deepEqual(codes(r.findings), ["MP0407 warning spec.backends[1].service"]);
  });
});
