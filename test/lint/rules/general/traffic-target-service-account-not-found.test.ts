/**
 * MP1103: SMI TrafficTarget identities are service accounts (SMI
 * traffic-access spec); one no pod runs as allows or protects nothing.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { trafficTargetServiceAccountNotFound } from "../../../../src/lint/rules/general/traffic-target-service-account-not-found.js";
import { corpusFiles } from "../../../support/model.js";
import { lineOf, lint } from "./lint.js";

const identities = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: bookstore
  namespace: bookstore
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bookbuyer
  namespace: bookbuyer
spec:
  selector: {matchLabels: {app: bookbuyer}}
  template:
    metadata: {labels: {app: bookbuyer}}
    spec:
      serviceAccountName: bookbuyer
      containers: [{name: app, image: bookbuyer}]
`;

function target(destination: string, sources: { name: string; namespace?: string }[], apiVersion = "access.smi-spec.io/v1alpha3"): string {
  const srcs = sources.map((s) => `  - kind: ServiceAccount\n    name: ${s.name}\n${s.namespace ? `    namespace: ${s.namespace}\n` : ""}`).join("");
  return `apiVersion: ${apiVersion}
kind: TrafficTarget
metadata:
  name: bookstore
  namespace: bookstore
spec:
  destination:
    kind: ServiceAccount
    name: ${destination}
    namespace: bookstore
  rules:
  - kind: HTTPRouteGroup
    name: bookstore-routes
  sources:
${srcs}`;
}

describe("TrafficTarget service accounts no workload runs as (MP1103)", () => {
  it("reports a destination service account nobody declares", () => {
    const tt = target("book-store", [{ name: "bookbuyer", namespace: "bookbuyer" }]);
    const findings = lint(trafficTargetServiceAccountNotFound, { "ids.yaml": identities, "tt.yaml": tt });
    assert.deepEqual(
      findings.map((f) => [f.path, f.line, f.severity]),
      [["spec.destination.name", lineOf(tt, "name: book-store"), "warning"]],
    );
    assert.match(findings[0]!.message, /bookstore\/book-store/);
    assert.match(findings[0]!.hint ?? "", /declared in bookstore: bookstore\b/);
  });

  it("reports a source service account its namespace does not declare", () => {
    const findings = lint(trafficTargetServiceAccountNotFound, {
      "ids.yaml": identities,
      "tt.yaml": target("bookstore", [{ name: "bookbuyer", namespace: "bookbuyer" }, { name: "book-buyer", namespace: "bookbuyer" }]),
    });
    assert.deepEqual(
      findings.map((f) => f.path),
      ["spec.sources[1].name"],
    );
    assert.match(findings[0]!.message, /allows no caller/);
  });

  it("reads access.smi-spec.io/v1alpha1, whose fields are not under spec", () => {
    const tt = `apiVersion: access.smi-spec.io/v1alpha1
kind: TrafficTarget
metadata: {name: old, namespace: bookstore}
destination: {kind: ServiceAccount, name: bookstor, namespace: bookstore}
specs: [{kind: HTTPRouteGroup, name: bookstore-routes}]
sources: [{kind: ServiceAccount, name: bookbuyer, namespace: bookbuyer}]
`;
    assert.deepEqual(
      lint(trafficTargetServiceAccountNotFound, { "ids.yaml": identities, "tt.yaml": tt }).map((f) => f.path),
      ["destination.name"],
    );
  });

  const accepted: [string, string][] = [
    ["accounts declared by a ServiceAccount and by a Deployment's serviceAccountName", target("bookstore", [{ name: "bookbuyer", namespace: "bookbuyer" }])],
    ["the default service account, which every namespace has", target("default", [{ name: "default", namespace: "bookbuyer" }])],
    ["a source in a namespace the tree declares no identity in", target("bookstore", [{ name: "ingress-nginx", namespace: "ingress-nginx" }])],
  ];
  for (const [name, tt] of accepted) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(lint(trafficTargetServiceAccountNotFound, { "ids.yaml": identities, "tt.yaml": tt }), []);
    });
  }

  it("leaves a destination of another kind to MP0413", () => {
    const tt = target("bookstore", [{ name: "bookbuyer", namespace: "bookbuyer" }]).replace("kind: ServiceAccount\n    name: bookstore", "kind: Deployment\n    name: nothing-here");
    assert.deepEqual(lint(trafficTargetServiceAccountNotFound, { "ids.yaml": identities, "tt.yaml": tt }), []);
  });

  it("finds nothing in the OSM bookstore demo, whose apps declare every account", () => {
    assert.deepEqual(lint(trafficTargetServiceAccountNotFound, corpusFiles(["osm/manifests/apps", "osm/manifests/access"])), []);
  });

  it("finds the misspelt account when one demo TrafficTarget is edited", () => {
    const files = corpusFiles(["osm/manifests/apps", "osm/manifests/access/traffic-access-v1.yaml"]).map((f) =>
      f.path.endsWith("traffic-access-v1.yaml") ? { ...f, content: String(f.content).replace("name: bookwarehouse\n    namespace: bookwarehouse", "name: book-warehouse\n    namespace: bookwarehouse") } : f,
    );
    const findings = lint(trafficTargetServiceAccountNotFound, files);
    assert.deepEqual(
      findings.map((f) => [f.resource?.name, f.path]),
      [["bookstore-access-bookwarehouse", "spec.destination.name"]],
    );
  });
});
