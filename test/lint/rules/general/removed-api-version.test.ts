/**
 * MP1106: API versions meshplan parses only to explain the migration
 * (KindSchema removedVersions). Kubernetes removed the beta workload APIs in
 * 1.16 and the v1beta1 Ingress in 1.22; Istio removed config.istio.io/v1alpha2
 * RouteRule in 1.0: errors. Earlier SMI versions: warnings.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { removedApiVersion } from "../../../../src/lint/rules/general/removed-api-version.js";
import { schemaFor } from "../../../../src/manifests/schemas/index.js";
import { splitApiVersion } from "../../../../src/manifests/types.js";
import { corpusFiles } from "../../../support/model.js";
import { lineOf, lint } from "./lint.js";

const bodies: Record<string, string> = {
  Ingress: "spec:\n  backend: {serviceName: web, servicePort: 80}\n",
  IngressClass: "spec: {controller: k8s.io/ingress-nginx}\n",
  Deployment: "spec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: web}]}\n",
  RouteRule: "spec:\n  destination: {name: reviews}\n  route: [{labels: {version: v1}}]\n",
  TrafficSplit: "spec:\n  service: web\n  backends: [{service: web-v1, weight: 100}]\n",
  HTTPRouteGroup: "matches: [{name: all, pathRegex: \".*\"}]\n",
  TrafficTarget: "destination: {kind: ServiceAccount, name: web, namespace: shop}\nspecs: [{kind: HTTPRouteGroup, name: all}]\nsources: [{kind: ServiceAccount, name: client, namespace: shop}]\n",
};

function doc(apiVersion: string, kind: string, body = bodies[kind] ?? ""): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n  namespace: shop\n${body}`;
}

describe("removed or superseded API versions (MP1106)", () => {
  const removed: [string, string, "error" | "warning", RegExp][] = [
    ["extensions/v1beta1", "Ingress", "error", /networking\.k8s\.io\/v1/],
    ["networking.k8s.io/v1beta1", "Ingress", "error", /backend\.service\.name/],
    ["networking.k8s.io/v1beta1", "IngressClass", "error", /networking\.k8s\.io\/v1/],
    ["apps/v1beta1", "Deployment", "error", /apps\/v1/],
    ["extensions/v1beta1", "Deployment", "error", /spec\.selector/],
    ["config.istio.io/v1alpha2", "RouteRule", "error", /VirtualService/],
    ["split.smi-spec.io/v1alpha2", "TrafficSplit", "warning", /split\.smi-spec\.io\/v1alpha4/],
    ["specs.smi-spec.io/v1alpha1", "HTTPRouteGroup", "warning", /under `spec:`/],
    ["access.smi-spec.io/v1alpha1", "TrafficTarget", "warning", /access\.smi-spec\.io\/v1alpha3/],
  ];
  for (const [apiVersion, kind, severity, migration] of removed) {
    it(`reports ${kind} ${apiVersion} as ${severity === "error" ? "no longer served" : "superseded"}, with the migration as hint`, () => {
      const yaml = doc(apiVersion, kind);
      const findings = lint(removedApiVersion, { "old.yaml": yaml });
      assert.deepEqual(
        findings.map((f) => [f.path, f.line, f.severity]),
        [["apiVersion", lineOf(yaml, "apiVersion:"), severity]],
      );
      const { group, version } = splitApiVersion(apiVersion);
      assert.equal(findings[0]!.hint, schemaFor(group, version, kind)?.migration);
      assert.match(findings[0]!.hint ?? "", migration);
      assert.match(findings[0]!.message, severity === "error" ? /no longer served/ : /superseded/);
    });
  }

  const current: [string, string, string][] = [
    ["networking.k8s.io/v1", "Ingress", "spec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n"],
    ["apps/v1", "Deployment", "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: web}]}\n"],
    ["networking.istio.io/v1alpha3", "VirtualService", "spec: {hosts: [web], http: [{route: [{destination: {host: web}}]}]}\n"],
    ["split.smi-spec.io/v1alpha4", "TrafficSplit", bodies["TrafficSplit"]!],
    ["example.com/v1", "Widget", "spec: {}\n"],
  ];
  for (const [apiVersion, kind, body] of current) {
    it(`accepts ${kind} ${apiVersion}`, () => {
      assert.deepEqual(lint(removedApiVersion, { "new.yaml": doc(apiVersion, kind, body) }), []);
    });
  }

  it("reports a removed-version resource even when it fails its schema", () => {
    const findings = lint(removedApiVersion, { "bad.yaml": doc("extensions/v1beta1", "Ingress", "spec:\n  rules: 7\n") });
    assert.deepEqual(
      findings.map((f) => f.path),
      ["apiVersion"],
    );
  });

  describe("in an OSM tree, whose CRDs serve split v1alpha2, specs v1alpha4 and access v1alpha3 (osm-bootstrap/crds)", () => {
    const meshConfig = "apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: osm-mesh-config, namespace: osm-system}\nspec: {}\n";
    const monitored = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {openservicemesh.io/monitored-by: osm}\n";

    it("accepts TrafficSplit split.smi-spec.io/v1alpha2, the version OSM serves", () => {
      assert.deepEqual(lint(removedApiVersion, { "mc.yaml": meshConfig, "ts.yaml": doc("split.smi-spec.io/v1alpha2", "TrafficSplit") }), []);
      assert.deepEqual(lint(removedApiVersion, { "ns.yaml": monitored, "ts.yaml": doc("split.smi-spec.io/v1alpha2", "TrafficSplit") }), []);
    });

    it("reports a TrafficSplit version OSM does not serve as an error, with OSM's way out", () => {
      const findings = lint(removedApiVersion, { "mc.yaml": meshConfig, "ts.yaml": doc("split.smi-spec.io/v1alpha3", "TrafficSplit") });
      assert.deepEqual(
        findings.map((f) => f.severity),
        ["error"],
      );
      assert.match(findings[0]!.message, /OSM does not serve/);
      assert.match(findings[0]!.hint ?? "", /split\.smi-spec\.io\/v1alpha2/);
      assert.doesNotMatch(findings[0]!.hint ?? "", /v1alpha4/);
    });

    it("reports an HTTPRouteGroup and a TrafficTarget version OSM does not serve, with the schema's migration", () => {
      const findings = lint(removedApiVersion, {
        "ns.yaml": monitored,
        "hrg.yaml": doc("specs.smi-spec.io/v1alpha1", "HTTPRouteGroup"),
        "tt.yaml": doc("access.smi-spec.io/v1alpha1", "TrafficTarget"),
      });
      assert.deepEqual(
        findings.map((f) => [f.resource?.kind, f.severity, f.hint === schemaFor(splitApiVersion(f.resource!.apiVersion).group, "v1alpha1", f.resource!.kind)?.migration]),
        [
          ["HTTPRouteGroup", "error", true],
          ["TrafficTarget", "error", true],
        ],
      );
    });

    it("finds the bookstore demo's TrafficSplits (v1alpha2) fine", () => {
      assert.deepEqual(lint(removedApiVersion, corpusFiles(["osm/manifests/split", "osm/manifests/meshconfig"])), []);
    });
  });

  it("warns about every superseded version among the SMI spec examples, and only those", () => {
    const files = corpusFiles(["smi"]);
    const findings = lint(removedApiVersion, files);
    assert.ok(findings.length > 0);
    for (const f of findings) {
      const { group, version } = splitApiVersion(f.resource!.apiVersion);
      assert.equal(f.severity, "warning");
      assert.ok(schemaFor(group, version, f.resource!.kind)?.removedVersions?.includes(version), f.resource!.apiVersion);
    }
  });
});
