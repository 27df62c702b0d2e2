import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { describe, it } from "node:test";
import type { SourceFile } from "../../../src/manifests/types.js";
import { smiRoutes } from "../../../src/routing/smi/smi-routes.js";
import type { EngineResult } from "../../../src/routing/engine.js";
import { corpusPath } from "../../support/corpus.js";
import { corpusFiles, modelFromCorpus, modelFromFiles, modelFromYaml } from "../../support/model.js";
import { specSnippet } from "./spec-snippet.js";

function corpusYaml(rel: string, out: string[] = []): string[] {
  for (const name of readdirSync(corpusPath(rel)).sort()) {
    const child = `${rel}/${name}`;
    if (statSync(corpusPath(child)).isDirectory()) corpusYaml(child, out);
    else if (/\.ya?ml$/.test(name)) out.push(child);
  }
  return out;
}

/** What must hold for any tree: shares sum to 100, every finding and origin is located. */
function assertWellFormed(r: EngineResult, where: string): void {
  for (const h of r.hosts) {
    assert.equal(h.source, "smi", where);
    assert.equal(h.key, `smi|mesh|${h.host}|${h.port ?? "*"}|${h.protocol}`, where);
    for (const rule of h.rules) {
      const sum = rule.backends.reduce((a, b) => a + b.weight, 0);
      assert.ok(rule.backends.length === 0 || sum === 100, `${where}: ${h.key} ${rule.id} sums to ${sum}`);
      assert.ok(rule.origin.line >= 1, where);
    }
  }
  for (const a of r.access) {
    assert.equal(a.engine, "smi", where);
    assert.equal(a.action, "ALLOW", where);
    assert.ok(a.summary.startsWith("allow "), where);
    assert.ok(a.matchesNothing || a.to.length > 0 || a.from.length > 0, where);
  }
  for (const f of r.findings) {
    assert.match(f.code, /^MP04\d\d$/, where);
    assert.ok(f.file && f.line && f.column && f.resource, `${where}: ${f.message}`);
  }
}

describe("smiRoutes over the OSM and SMI corpus", () => {
  const files = [...corpusYaml("osm"), ...corpusYaml("smi")];

  it("routes every corpus file on its own without throwing", () => {
    let hosts = 0;
    let access = 0;
    for (const file of files) {
      const r = smiRoutes(modelFromCorpus([file]).model);
      assertWellFormed(r, file);
      hosts += r.hosts.length;
      access += r.access.length;
    }
    assert.equal(files.length, 150);
    assert.deepEqual({ hosts, access }, { hosts: 21, access: 21 });
  });

  // The apiVersion each spec document's examples are written for, by the shape they use.
  const specVersions: Record<string, Record<string, string>> = {
    "traffic-split/v1alpha1": { TrafficSplit: "split.smi-spec.io/v1alpha1" },
    "traffic-split/v1alpha2": { TrafficSplit: "split.smi-spec.io/v1alpha2" },
    // These documents write their HTTPRouteGroup with top-level matches, the specs v1alpha2 shape.
    "traffic-split/v1alpha3": { TrafficSplit: "split.smi-spec.io/v1alpha3", HTTPRouteGroup: "specs.smi-spec.io/v1alpha2" },
    "traffic-split/v1alpha4": { TrafficSplit: "split.smi-spec.io/v1alpha4", HTTPRouteGroup: "specs.smi-spec.io/v1alpha2" },
    "traffic-specs/v1alpha1": { HTTPRouteGroup: "specs.smi-spec.io/v1alpha1", TCPRoute: "specs.smi-spec.io/v1alpha1" },
    "traffic-specs/v1alpha2": { HTTPRouteGroup: "specs.smi-spec.io/v1alpha2", TCPRoute: "specs.smi-spec.io/v1alpha2" },
    "traffic-specs/v1alpha3": { HTTPRouteGroup: "specs.smi-spec.io/v1alpha3", TCPRoute: "specs.smi-spec.io/v1alpha3" },
    "traffic-specs/v1alpha4": { HTTPRouteGroup: "specs.smi-spec.io/v1alpha4", TCPRoute: "specs.smi-spec.io/v1alpha4", UDPRoute: "specs.smi-spec.io/v1alpha4" },
    "traffic-access/v1alpha1": { HTTPRouteGroup: "specs.smi-spec.io/v1alpha1", TrafficTarget: "access.smi-spec.io/v1alpha1" },
    "traffic-access/v1alpha2": { HTTPRouteGroup: "specs.smi-spec.io/v1alpha3", TrafficTarget: "access.smi-spec.io/v1alpha2" },
    "traffic-access/v1alpha3": {
      HTTPRouteGroup: "specs.smi-spec.io/v1alpha4",
      TCPRoute: "specs.smi-spec.io/v1alpha4",
      UDPRoute: "specs.smi-spec.io/v1alpha4",
      TrafficTarget: "access.smi-spec.io/v1alpha3",
    },
    "traffic-access/v1alpha4": {
      HTTPRouteGroup: "specs.smi-spec.io/v1alpha4",
      TCPRoute: "specs.smi-spec.io/v1alpha4",
      UDPRoute: "specs.smi-spec.io/v1alpha4",
      TrafficTarget: "access.smi-spec.io/v1alpha4",
    },
  };

  it("routes the SMI spec examples once their apiVersion is added", () => {
    let hosts = 0;
    let access = 0;
    const loadFindings: string[] = [];
    for (const file of corpusYaml("smi")) {
      const spec = /^smi\/([^/]+\/v1alpha\d)\//.exec(file)![1]!;
      const { model, findings } = modelFromYaml({ [file]: specSnippet(file, specVersions[spec]!) });
      loadFindings.push(...findings.map((f) => `${f.code} ${f.resource?.apiVersion} ${f.resource?.kind}`));
      const r = smiRoutes(model);
      assertWellFormed(r, file);
      hosts += r.hosts.length;
      access += r.access.length;
    }
    // Only the IdentityBinding-based TrafficTargets of access.smi-spec.io/v1alpha4 are refused: OSM serves v1alpha3.
    assert.deepEqual(new Set(loadFindings), new Set(["MP0011 access.smi-spec.io/v1alpha4 TrafficTarget"]));
    assert.equal(loadFindings.length, 4);
    assert.deepEqual({ hosts, access }, { hosts: 26, access: 9 });
  });

  it("routes the whole OSM demo tree (apps, access, split) as one repository", () => {
    const { model, findings } = modelFromCorpus(["osm/manifests/apps", "osm/manifests/access/traffic-access-v1.yaml", "osm/manifests/split/traffic-split-50-50.yaml"]);
    assert.deepEqual(findings, []);
    const r = smiRoutes(model);
    assertWellFormed(r, "osm demo");
    assert.deepEqual(r.hosts.map((h) => h.key), ["smi|mesh|bookstore.bookstore.svc.cluster.local|*|http"]);
    assert.deepEqual(r.access.map((a) => a.id).sort(), [
      "smi|TrafficTarget|bookstore/bookstore",
      "smi|TrafficTarget|bookstore/bookstore-v2",
      "smi|TrafficTarget|bookwarehouse/bookstore-access-bookwarehouse",
      "smi|TrafficTarget|bookwarehouse/mysql",
    ]);
    // bookstore-v2's own TrafficTarget names the route group that the access manifest ships.
    assert.deepEqual(r.findings, []);
  });
});

describe("OSM Egress", () => {
  it("allows curl to GET /get on httpbin.org:80 through the egress-http-route group", () => {
    const file = "osm/docs-extracted/demos__egress_policy/L220-248_HTTPRouteGroup-egress-http-route_Egress-httpbin-80.yaml";
    const r = smiRoutes(modelFromCorpus([file]).model);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.access.map((a) => ({ id: a.id, direction: a.direction, target: a.target, from: a.from, to: a.to, summary: a.summary })),
      [
        {
          id: "smi|Egress|curl/httpbin-80",
          direction: "egress",
          target: { namespace: null, selector: null, serviceAccount: null },
          from: [{ principals: ["cluster.local/ns/curl/sa/curl"] }],
          to: [{ hosts: ["httpbin.org"], ports: [80], matches: [{ uri: { type: "regex", value: "/get" } }] }],
          summary: "allow egress curl/curl -> httpbin.org port 80 (http): * /get",
        },
      ],
    );
  });

  it("allows curl any host on port 443 when the Egress names no host", () => {
    const r = smiRoutes(modelFromCorpus(["osm/docs-extracted/demos__egress_policy/L164-176_Egress-tcp-443.yaml"]).model);
    assert.deepEqual(r.access.map((a) => [a.to, a.summary]), [[[{ ports: [443] }], "allow egress curl/curl -> any host port 443 (tcp)"]]);
  });

  it("allows nothing and reports the group when the Egress names a missing HTTPRouteGroup", () => {
    const r = smiRoutes(
      modelFromYaml({
        "egress.yaml":
          "kind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\nmetadata: {name: e, namespace: curl}\nspec:\n  sources:\n  - {kind: ServiceAccount, name: curl, namespace: curl}\n  hosts: [httpbin.org]\n  ports:\n  - {number: 80, protocol: http}\n  matches:\n  - {apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: gone}\n",
      }).model,
    );
    assert.deepEqual(r.findings.map((f) => [f.code, f.line, f.path]), [["MP0403", 11, "spec.matches[0].name"]]);
    assert.deepEqual(r.access.map((a) => [a.to, a.matchesNothing]), [[[], true]]);
  });

  it("has no effect when the MeshConfig turns the Egress policy feature off", () => {
    const r = smiRoutes(
      modelFromFiles([
        ...corpusFiles(["osm/docs-extracted/demos__egress_policy/L058-072_Egress-httpbin-80.yaml"]),
        {
          path: "mesh-config.yaml",
          content: "apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  featureFlags:\n    enableEgressPolicy: false\n",
        },
      ]).model,
    );
    assert.deepEqual(r.access, []);
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity]), [["MP0410", "warning"]]);
  });
});

describe("OSM IngressBackend", () => {
  const contour = [
    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: osm-contour-envoy, namespace: osm-system}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: osm-contour-envoy, namespace: osm-system}\nspec:\n  selector: {matchLabels: {app: envoy}}\n  template:\n    metadata: {labels: {app: envoy}}\n    spec: {serviceAccountName: osm-contour-envoy}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: osm-contour-envoy, namespace: osm-system}\nspec:\n  selector: {app: envoy}\n  ports:\n  - {port: 80}\n",
  ].join("---\n");
  const foo = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: foo, namespace: test}\nspec:\n  selector: {app: foo}\n  ports:\n${ports}`;
  const file = "osm/docs-extracted/guides__traffic_management__ingress/L185-230_TLSCertificateDelegation-osm-ca-secret_HTTPProxy-basic_IngressBackend-basic.yaml";

  const cases: [string, string, number[]][] = [
    ["allows the Contour envoy (by Service and by certificate) into foo on port 80", "  - {port: 80}\n", [80]],
    ["names the Service port 8000 that forwards to the backend's target port 80", "  - {port: 8000, targetPort: 80}\n", [8000]],
  ];
  for (const [name, ports, expected] of cases) {
    it(name, () => {
      const r = smiRoutes(modelFromFiles([...corpusFiles([file]), { path: "apps.yaml", content: `${contour}---\n${foo(ports)}` }]).model);
      assert.deepEqual(r.findings, []);
      const envoy = { principals: ["cluster.local/ns/osm-system/sa/osm-contour-envoy"] };
      assert.deepEqual(
        r.access.map((a) => ({ id: a.id, direction: a.direction, target: a.target, from: a.from, to: a.to, matchesNothing: a.matchesNothing, summary: a.summary })),
        [
          {
            id: "smi|IngressBackend|test/basic|foo",
            direction: "ingress",
            target: { namespace: "test", selector: { app: "foo" }, serviceAccount: null },
            from: [envoy, envoy],
            to: [{ ports: expected }],
            matchesNothing: false,
            summary: `allow ingress osm-system/osm-contour-envoy, osm-contour-envoy.osm-system.cluster.local -> test/foo port ${expected[0]} (https)`,
          },
        ],
      );
    });
  }

  it("leaves an IPRange source out and reports it", () => {
    const r = smiRoutes(modelFromFiles([...corpusFiles(["osm/docs-extracted/guides__traffic_management__ingress/L047-060_IngressBackend-basic.yaml"]), { path: "foo.yaml", content: foo("  - {port: 80}\n") }]).model);
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.path]), [["MP0413", "info", "spec.sources[0].kind"]]);
    assert.deepEqual(r.access.map((a) => [a.from, a.matchesNothing]), [[[], true]]);
  });
});

describe("OSM Retry", () => {
  const canary = corpusFiles(["osm/manifests/samples/canary", "osm/docs-extracted/demos__retry_policy/L069-087_Retry-retry.yaml"]);
  const meshConfig = (flag: string): SourceFile => ({
    path: "mesh-config.yaml",
    content: `apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec:\n  featureFlags:\n${flag}`,
  });

  it("retries 5xx five times with a 1s per-try timeout on the httpbin split when enableRetryPolicy is on", () => {
    const r = smiRoutes(modelFromFiles([...canary, meshConfig("    enableRetryPolicy: true\n")]).model);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.hosts.map((h) => [h.key, h.rules.map((rule) => rule.policies.retries), h.origins.map((o) => `${o.resource.kind}/${o.resource.name} ${o.path}`)]),
      [
        [
          "smi|mesh|httpbin.httpbin.svc.cluster.local|*|http",
          [{ attempts: 5, perTryTimeout: "1s", retryOn: "5xx" }],
          ["TrafficSplit/http-split ", "Retry/retry spec.destinations[0]"],
        ],
      ],
    );
  });

  const off: [string, SourceFile[]][] = [
    ["without a MeshConfig (enableRetryPolicy defaults to false)", canary],
    ["with enableRetryPolicy: false", [...canary, meshConfig("    enableRetryPolicy: false\n")]],
  ];
  for (const [name, files] of off) {
    it(`has no effect ${name}, and says so`, () => {
      const r = smiRoutes(modelFromFiles(files).model);
      assert.deepEqual(r.hosts.flatMap((h) => h.rules.map((rule) => rule.policies.retries)), [null]);
      assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.file]), [["MP0410", "warning", "osm/docs-extracted/demos__retry_policy/L069-087_Retry-retry.yaml"]]);
    });
  }
});

describe("OSM UpstreamTrafficSetting", () => {
  it("passes connection and rate-limit settings through without routes, rules or findings", () => {
    const r = smiRoutes(modelFromCorpus(["osm/docs-extracted/demos__circuit_breaking_mesh_internal/L123-135_UpstreamTrafficSetting-httpbin.yaml", "osm/manifests/samples/httpbin/httpbin.yaml"]).model);
    assert.deepEqual(r, { hosts: [], access: [], findings: [] });
  });
});
