import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { smiRoutes } from "../../../src/routing/smi/smi-routes.js";
import type { AccessRule, RequestMatch } from "../../../src/routing/types.js";
import { modelFromCorpus, modelFromYaml } from "../../support/model.js";
import { specSnippet } from "./spec-snippet.js";

/** The parts of an access rule a reviewer reads. */
function brief(r: AccessRule) {
  return { id: r.id, target: r.target, from: r.from, to: r.to, matchesNothing: r.matchesNothing, summary: r.summary };
}

const principal = (ns: string, sa: string) => ({ principals: [`cluster.local/ns/${ns}/sa/${sa}`] });
const get = (path: string): RequestMatch => ({ uri: { type: "regex", value: path }, method: { type: "exact", value: "GET" } });

describe("TrafficTarget access: the OSM bookstore demo", () => {
  const booksBought = {
    ...get("/books-bought"),
    headers: [
      { name: "user-agent", match: { type: "regex", value: ".*-http-client/*.*" } },
      { name: "client-app", match: { type: "regex", value: "bookbuyer" } },
    ],
  };
  const bookstoreRoutes = "GET .*a-book.*new, GET /books-bought (user-agent ~ .*-http-client/*.*, client-app ~ bookbuyer)";
  const cases: [string, string, ReturnType<typeof principal>[]][] = [
    ["allows bookbuyer to buy books and list the books bought", "osm/manifests/access/traffic-access-v1.yaml", [principal("bookbuyer", "bookbuyer")]],
    [
      "allows bookbuyer and bookthief once bookthief is added",
      "osm/manifests/access/traffic-access-v1-allow-bookthief.yaml",
      [principal("bookbuyer", "bookbuyer"), principal("bookthief", "bookthief")],
    ],
  ];
  for (const [name, file, bookstoreSources] of cases) {
    it(name, () => {
      const { model } = modelFromCorpus(["osm/manifests/apps/bookstore.yaml", "osm/manifests/apps/bookwarehouse.yaml", "osm/manifests/apps/mysql.yaml", file]);
      const r = smiRoutes(model);
      assert.deepEqual(r.findings, []);
      const sourceNames = bookstoreSources.map((s) => s.principals[0]!.replace(/^cluster\.local\/ns\/(.+)\/sa\/(.+)$/, "$1/$2")).join(", ");
      assert.deepEqual(r.access.map(brief), [
        {
          id: "smi|TrafficTarget|bookstore/bookstore",
          target: { namespace: "bookstore", selector: null, serviceAccount: "bookstore" },
          from: bookstoreSources,
          // The rule lists buy-a-book first, so its route comes first.
          to: [{ matches: [get(".*a-book.*new"), booksBought] }],
          matchesNothing: false,
          summary: `allow ${sourceNames} -> bookstore/bookstore: ${bookstoreRoutes}`,
        },
        {
          id: "smi|TrafficTarget|bookwarehouse/bookstore-access-bookwarehouse",
          target: { namespace: "bookwarehouse", selector: null, serviceAccount: "bookwarehouse" },
          from: [principal("bookstore", "bookstore")],
          to: [{ matches: [{ method: { type: "exact", value: "POST" } }] }],
          matchesNothing: false,
          summary: "allow bookstore/bookstore -> bookwarehouse/bookwarehouse: POST *",
        },
        {
          id: "smi|TrafficTarget|bookwarehouse/mysql",
          target: { namespace: "bookwarehouse", selector: null, serviceAccount: "mysql" },
          from: [principal("bookwarehouse", "bookwarehouse")],
          to: [{ ports: [3306] }],
          matchesNothing: false,
          summary: "allow bookwarehouse/bookwarehouse -> bookwarehouse/mysql: port 3306",
        },
      ]);
      assert.ok(r.access.every((a) => a.engine === "smi" && a.action === "ALLOW" && a.when.length === 0 && a.origin.file === file));
    });
  }
});

describe("TrafficTarget access: TCPRoute targets of the OSM statefulsets demo", () => {
  const cases: [string, string, ReturnType<typeof brief>[]][] = [
    [
      "allows kafka to zookeeper's client ports and zookeeper to all four of its ports",
      "osm/docs-extracted/demos__statefulsets/L035-093_TCPRoute-zookeeper_TCPRoute-zookeeper-internal_TrafficTarget-zookeeper_and1more.yaml",
      [
        {
          id: "smi|TrafficTarget|zookeeper/zookeeper",
          target: { namespace: "zookeeper", selector: null, serviceAccount: "zookeeper" },
          from: [principal("kafka", "kafka")],
          to: [{ ports: [2181, 3181] }],
          matchesNothing: false,
          summary: "allow kafka/kafka -> zookeeper/zookeeper: ports 2181, 3181",
        },
        {
          id: "smi|TrafficTarget|zookeeper/zookeeper-internal",
          target: { namespace: "zookeeper", selector: null, serviceAccount: "zookeeper" },
          from: [principal("zookeeper", "zookeeper")],
          to: [{ ports: [2181, 3181, 2888, 3888] }],
          matchesNothing: false,
          summary: "allow zookeeper/zookeeper -> zookeeper/zookeeper: ports 2181, 3181, 2888, 3888",
        },
      ],
    ],
    [
      "allows kafka's default service account to port 9092 and kafka itself to 9092 and 9093",
      "osm/docs-extracted/demos__statefulsets/L146-201_TCPRoute-kafka_TCPRoute-kafka-internal_TrafficTarget-kafka_and1more.yaml",
      [
        {
          id: "smi|TrafficTarget|kafka/kafka",
          target: { namespace: "kafka", selector: null, serviceAccount: "kafka" },
          from: [principal("kafka", "default")],
          to: [{ ports: [9092] }],
          matchesNothing: false,
          summary: "allow kafka/default -> kafka/kafka: port 9092",
        },
        {
          id: "smi|TrafficTarget|kafka/kafka-internal",
          target: { namespace: "kafka", selector: null, serviceAccount: "kafka" },
          from: [principal("kafka", "kafka")],
          to: [{ ports: [9092, 9093] }],
          matchesNothing: false,
          summary: "allow kafka/kafka -> kafka/kafka: ports 9092, 9093",
        },
      ],
    ],
  ];
  for (const [name, file, expected] of cases) {
    it(name, () => {
      const r = smiRoutes(modelFromCorpus([file]).model);
      assert.deepEqual(r.access.map(brief), expected);
      assert.deepEqual(r.findings, []);
    });
  }
});

describe("TrafficTarget access across SMI versions (the spec's L7 example)", () => {
  // traffic-access: website-service and payments-service may call /api, prometheus may GET /metrics.
  const website = principal("default", "website-service");
  const payments = principal("default", "payments-service");
  const prometheus = principal("default", "prometheus");
  const apiAny: RequestMatch = { uri: { type: "regex", value: "/api" } };
  const metricsGet = get("/metrics");
  const target = { namespace: "default", selector: null, serviceAccount: "api-service" };
  const cases: [string, string, Record<string, string>, ReturnType<typeof brief>[]][] = [
    [
      "access.smi-spec.io/v1alpha1: top-level specs, destination.port limits api to 8080",
      "smi/traffic-access/v1alpha1/L111-162_HTTPRouteGroup-api-service-routes_TrafficTarget-api-service-metrics_TrafficTarget-api-service-api.yaml",
      { HTTPRouteGroup: "specs.smi-spec.io/v1alpha1", TrafficTarget: "access.smi-spec.io/v1alpha1" },
      [
        { id: "smi|TrafficTarget|default/api-service-metrics", target, from: [prometheus], to: [{ matches: [metricsGet] }], matchesNothing: false, summary: "allow default/prometheus -> default/api-service: GET /metrics" },
        {
          id: "smi|TrafficTarget|default/api-service-api",
          target,
          from: [website, payments],
          to: [{ matches: [apiAny], ports: [8080] }],
          matchesNothing: false,
          summary: "allow default/website-service, default/payments-service -> default/api-service: * /api port 8080",
        },
      ],
    ],
    [
      "access.smi-spec.io/v1alpha2: spec.rules, destination.port limits api to 8080",
      "smi/traffic-access/v1alpha2/L113-165_HTTPRouteGroup-api-service-routes_TrafficTarget-api-service-metrics_TrafficTarget-api-service-api.yaml",
      { HTTPRouteGroup: "specs.smi-spec.io/v1alpha4", TrafficTarget: "access.smi-spec.io/v1alpha2" },
      [
        { id: "smi|TrafficTarget|default/api-service-metrics", target, from: [prometheus], to: [{ matches: [metricsGet] }], matchesNothing: false, summary: "allow default/prometheus -> default/api-service: GET /metrics" },
        {
          id: "smi|TrafficTarget|default/api-service-api",
          target,
          from: [website, payments],
          to: [{ matches: [apiAny], ports: [8080] }],
          matchesNothing: false,
          summary: "allow default/website-service, default/payments-service -> default/api-service: * /api port 8080",
        },
      ],
    ],
    [
      "access.smi-spec.io/v1alpha3: a TCPRoute rule allows its port next to the HTTP routes",
      "smi/traffic-access/v1alpha3/L126-189_TCPRoute-api-service-port_HTTPRouteGroup-api-service-routes_TrafficTarget-api-service-metrics_and1more.yaml",
      { TCPRoute: "specs.smi-spec.io/v1alpha4", HTTPRouteGroup: "specs.smi-spec.io/v1alpha3", TrafficTarget: "access.smi-spec.io/v1alpha3" },
      [
        {
          id: "smi|TrafficTarget|default/api-service-metrics",
          target,
          from: [prometheus],
          to: [{ ports: [8080] }, { matches: [metricsGet] }],
          matchesNothing: false,
          summary: "allow default/prometheus -> default/api-service: port 8080; GET /metrics",
        },
        {
          id: "smi|TrafficTarget|default/api-service-api",
          target,
          from: [website, payments],
          to: [{ ports: [8080] }, { matches: [apiAny] }],
          matchesNothing: false,
          summary: "allow default/website-service, default/payments-service -> default/api-service: port 8080; * /api",
        },
      ],
    ],
  ];
  for (const [name, file, apiVersions, expected] of cases) {
    it(name, () => {
      const { model, findings } = modelFromYaml({ [file]: specSnippet(file, apiVersions) });
      assert.deepEqual(findings, []);
      const r = smiRoutes(model);
      assert.deepEqual(r.access.map(brief), expected);
      assert.deepEqual(r.findings, []);
    });
  }

  it("drops the spec's protocol-specific TrafficTarget: OSM supports no UDPRoute rule", () => {
    const file = "smi/traffic-access/v1alpha3/L206-241_TCPRoute-tcp-ports_UDPRoute-udp-ports_TrafficTarget-protocal-specific.yaml";
    const { model } = modelFromYaml({
      [file]: specSnippet(file, { TCPRoute: "specs.smi-spec.io/v1alpha4", UDPRoute: "specs.smi-spec.io/v1alpha4", TrafficTarget: "access.smi-spec.io/v1alpha3" }),
    });
    const r = smiRoutes(model);
    assert.deepEqual(r.access, []);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.path]),
      [["MP0406", "warning", "spec.rules[1].kind"]],
    );
  });
});

describe("TrafficTarget references", () => {
  it("reports the missing HTTPRouteGroup of the OSM getting-started policy at its line, and allows nothing", () => {
    const file = "osm/docs-extracted/getting_started__traffic_policies/L117-136_TrafficTarget-bookstore-v1.yaml";
    const r = smiRoutes(modelFromCorpus([file]).model);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.file, f.line, f.column, f.path]),
      [["MP0403", "error", file, 13, 11, "spec.rules[0].name"]],
    );
    assert.deepEqual(r.access.map(brief), [
      {
        id: "smi|TrafficTarget|bookstore/bookstore-v1",
        target: { namespace: "bookstore", selector: null, serviceAccount: "bookstore" },
        from: [principal("bookbuyer", "bookbuyer")],
        to: [],
        matchesNothing: true,
        summary: "allow bookbuyer/bookbuyer -> bookstore/bookstore: nothing",
      },
    ]);
  });

  const tt = (spec: string) => `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: shop}\nspec:\n${spec}`;
  const routes =
    "apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: r, namespace: shop}\nspec:\n  matches:\n  - {name: list, pathRegex: /items, methods: [GET]}\n  - {name: add, pathRegex: /items, methods: [POST]}\n";
  const cases: { name: string; spec: string; findings: [string, string, number, string][]; to: unknown[] | null }[] = [
    {
      name: "reports a match name the route group lacks at its line",
      spec: "  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  rules:\n  - kind: HTTPRouteGroup\n    name: r\n    matches: [list, remove]\n  sources:\n  - {kind: ServiceAccount, name: web, namespace: shop}\n",
      findings: [["MP0403", "error", 9, "spec.rules[0].matches[1]"]],
      to: [{ matches: [get("/items")] }],
    },
    {
      name: "allows every match of the group when the rule lists none (a OR relationship)",
      spec: "  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  rules:\n  - {kind: HTTPRouteGroup, name: r}\n  sources:\n  - {kind: ServiceAccount, name: web, namespace: shop}\n",
      findings: [],
      to: [{ matches: [get("/items"), { uri: { type: "regex", value: "/items" }, method: { type: "exact", value: "POST" } }] }],
    },
    {
      name: "reports a missing TCPRoute at its line",
      spec: "  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  rules:\n  - {kind: TCPRoute, name: db}\n  sources:\n  - {kind: ServiceAccount, name: web, namespace: shop}\n",
      findings: [["MP0403", "error", 7, "spec.rules[0].name"]],
      to: [],
    },
    {
      name: "ignores a TrafficTarget whose destination is in another namespace (OSM IsValidTrafficTarget)",
      spec: "  destination: {kind: ServiceAccount, name: api, namespace: store}\n  rules:\n  - {kind: HTTPRouteGroup, name: r}\n  sources:\n  - {kind: ServiceAccount, name: web, namespace: shop}\n",
      findings: [["MP0406", "warning", 5, "spec.destination.namespace"]],
      to: null,
    },
    {
      name: "ignores a TrafficTarget without rules",
      spec: "  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  sources:\n  - {kind: ServiceAccount, name: web, namespace: shop}\n",
      findings: [["MP0406", "warning", 4, "spec.rules"]],
      to: null,
    },
    {
      name: "reads a source without namespace in the TrafficTarget's namespace, and warns",
      spec: "  destination: {kind: ServiceAccount, name: api, namespace: shop}\n  rules:\n  - {kind: HTTPRouteGroup, name: r, matches: [list]}\n  sources:\n  - {kind: ServiceAccount, name: web}\n",
      findings: [["MP0414", "warning", 9, "spec.sources[0]"]],
      to: [{ matches: [get("/items")] }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { model } = modelFromYaml({ "tt.yaml": tt(c.spec), "routes.yaml": routes });
      const r = smiRoutes(model);
      assert.deepEqual(
        r.findings.map((f) => [f.code, f.severity, f.line, f.path]),
        c.findings,
      );
      assert.ok(r.findings.every((f) => f.file === "tt.yaml"));
      if (c.to === null) assert.deepEqual(r.access, []);
      else {
        assert.equal(r.access.length, 1);
        assert.deepEqual(r.access[0]!.to, c.to);
        assert.deepEqual(r.access[0]!.from, [principal("shop", "web")]);
        assert.equal(r.access[0]!.matchesNothing, c.to.length === 0);
      }
    });
  }
});

describe("TrafficTarget access by port protocol (OSM application protocol selection)", () => {
  const file = "osm/docs-extracted/guides__app_onboarding__app_protocol_selection/L035-070_TCPRoute-tcp-route_HTTPRouteGroup-http-route_TrafficTarget-test.yaml";
  const policies = specSnippet(file, {
    TCPRoute: "specs.smi-spec.io/v1alpha4",
    HTTPRouteGroup: "specs.smi-spec.io/v1alpha4",
    TrafficTarget: "access.smi-spec.io/v1alpha3",
  });
  const workload = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: default}\nspec:\n  selector: {matchLabels: {app: sa-1}}\n  template:\n    metadata: {labels: {app: sa-1}}\n    spec: {serviceAccountName: sa-1}\n";
  const service = (name: string, appProtocol: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec:\n  selector: {app: sa-1}\n  ports:\n  - {port: 8080, name: some-port, appProtocol: ${appProtocol}}\n`;

  it("allows TCP on 8080 and GET /version when sa-1 serves both service-1 (http) and service-2 (tcp)", () => {
    const { model, findings } = modelFromYaml({ [file]: policies, "apps.yaml": [workload, service("service-1", "http"), service("service-2", "tcp")].join("---\n") });
    assert.deepEqual(findings, []);
    const r = smiRoutes(model);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.access.map((a) => a.to), [[{ ports: [8080] }, { matches: [get("/version")] }]]);
  });

  it("says the TCPRoute allows nothing when port 8080 of sa-1 serves only HTTP", () => {
    const { model } = modelFromYaml({ [file]: policies, "apps.yaml": [workload, service("service-1", "http")].join("---\n") });
    const r = smiRoutes(model);
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.path]), [["MP0415", "info", "spec.rules[0].name"]]);
    assert.deepEqual(r.access.map((a) => a.to), [[{ matches: [get("/version")] }]]);
  });
});
