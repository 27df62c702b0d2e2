import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inputCodes } from "../../../src/manifests/codes.js";
import { ingressSchemas } from "../../../src/manifests/schemas/ingress.js";
import { schemaFor } from "../../../src/manifests/schemas/index.js";
import { splitApiVersion } from "../../../src/manifests/types.js";
import { modelFromCorpus } from "../../support/model.js";

function parse(apiVersion: string, kind: string, spec: unknown) {
  const { group, version } = splitApiVersion(apiVersion);
  const schema = schemaFor(group, version, kind);
  assert.ok(schema, `no schema for ${apiVersion} ${kind}`);
  return schema.schema.safeParse({ apiVersion, kind, metadata: { name: "x", namespace: "default" }, spec });
}

function issues(result: ReturnType<typeof parse>): string[] {
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const v1Path = (backend: unknown, extra: Record<string, unknown> = {}) => ({
  rules: [{ host: "a.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend, ...extra }] } }],
});

describe("Ingress schemas: versions", () => {
  it("serves networking.k8s.io/v1 Ingress and IngressClass", () => {
    assert.equal(schemaFor("networking.k8s.io", "v1", "Ingress")?.kind, "Ingress");
    assert.equal(schemaFor("networking.k8s.io", "v1", "IngressClass")?.namespaced, false);
  });

  for (const apiVersion of ["extensions/v1beta1", "networking.k8s.io/v1beta1"])
    it(`parses the removed ${apiVersion} Ingress only to explain the migration`, () => {
      const { group, version } = splitApiVersion(apiVersion);
      const s = schemaFor(group, version, "Ingress");
      assert.ok(s);
      assert.deepEqual([s.versions, s.removedVersions], [[], ["v1beta1"]]);
      for (const needle of ["service.name", "service.port.number", "pathType", "ingressClassName", "kubernetes.io/ingress.class", "spec.defaultBackend"])
        assert.ok(s.migration?.includes(needle), `migration mentions ${needle}`);
      assert.deepEqual(issues(parse(apiVersion, "Ingress", { backend: { serviceName: "a", servicePort: "http" }, rules: [{ http: { paths: [{ path: "/", backend: { serviceName: "a", servicePort: 80 } }] } }] })), []);
    });

  it("lists one entry per version shape", () => {
    assert.deepEqual(
      ingressSchemas.map((s) => `${s.group}/${s.kind} ${[...s.versions, ...(s.removedVersions ?? []).map((v) => `${v} (removed)`)].join(",")}`),
      ["networking.k8s.io/Ingress v1", "networking.k8s.io/Ingress v1beta1 (removed)", "extensions/Ingress v1beta1 (removed)", "networking.k8s.io/IngressClass v1,v1beta1 (removed)"],
    );
  });

  it("validates the OSM ingress-nginx demo Ingresses", () => {
    const { findings, resources } = modelFromCorpus(["osm/docs-extracted/demos__ingress_k8s_nginx"]);
    assert.ok(resources.some((r) => r.kind === "Ingress"));
    assert.deepEqual(findings.filter((f) => f.code === inputCodes.schemaViolation.code).map((f) => f.message), []);
  });
});

describe("Ingress schemas: what the API server rejects", () => {
  const rejected: [string, unknown, string][] = [
    ["a v1 path without pathType", { rules: [{ http: { paths: [{ path: "/", backend: { service: { name: "a", port: { number: 80 } } } }] } }] }, "spec.rules.0.http.paths.0.pathType"],
    ["an unknown pathType", v1Path({ service: { name: "a", port: { number: 80 } } }, { pathType: "Regex" }), "spec.rules.0.http.paths.0.pathType"],
    ["a service port with both number and name", v1Path({ service: { name: "a", port: { number: 80, name: "http" } } }), "spec.rules.0.http.paths.0.backend.service.port"],
    ["a backend with both service and resource", v1Path({ service: { name: "a", port: { number: 80 } }, resource: { kind: "Bucket", name: "b" } }), "spec.rules.0.http.paths.0.backend"],
    ["an empty paths list", { rules: [{ http: { paths: [] } }] }, "spec.rules.0.http.paths"],
    ["the v1beta1 serviceName shape in v1", v1Path({ serviceName: "a", servicePort: 80 }), "spec.rules.0.http.paths.0.backend"],
  ];
  for (const [name, spec, at] of rejected)
    it(`rejects ${name}`, () => {
      const found = issues(parse("networking.k8s.io/v1", "Ingress", spec));
      assert.ok(found.some((i) => i.startsWith(`${at}:`)), found.join("; ") || "accepted");
    });
});
