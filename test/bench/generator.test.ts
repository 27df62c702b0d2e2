/**
 * The benchmark's synthetic repositories: the same N gives the same bytes,
 * and what is generated is a clean tree meshplan loads in full.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateMeshRepo, pullRequestOf } from "../../bench/generate-mesh.js";
import { analyzeTree } from "../../src/jobs/analyze-tree.js";
import type { SourceFile } from "../../src/manifests/types.js";

function digest(files: readonly SourceFile[]): string {
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.path}\0${f.content as string}\0`);
  return hash.digest("hex");
}

describe("generateMeshRepo: synthetic mesh repositories for the benchmark", () => {
  it("generates the same bytes for the same N, every time", () => {
    const a = generateMeshRepo(20);
    const b = generateMeshRepo(20);
    assert.deepEqual(
      a.files.map((f) => f.path),
      b.files.map((f) => f.path),
    );
    assert.equal(digest(a.files), digest(b.files));
    assert.deepEqual(a.counts, b.counts);
  });

  it("generates the bytes benchmark results were measured on (generator changes show here)", () => {
    // Results in docs/performance.md compare only with runs on the same bytes; update this digest
    // together with the results when the generator changes.
    assert.equal(digest(generateMeshRepo(20).files), "8f6d2f5a2fd36283590b917baf15924d6534d5436a67b6514297ae4cad758d58");
  });

  it("generates different bytes for a different N or seed", () => {
    const base = digest(generateMeshRepo(20).files);
    assert.notEqual(digest(generateMeshRepo(21).files), base);
    assert.notEqual(digest(generateMeshRepo(20, { seed: 7 }).files), base);
  });

  it("changes the same 1% of service files in the pull request, every time", () => {
    const { files } = generateMeshRepo(200);
    const a = pullRequestOf(files);
    const b = pullRequestOf(files);
    assert.deepEqual(a.changed, b.changed);
    assert.equal(a.changed.length, 2);
    assert.equal(digest(a.files), digest(b.files));
    const differing = files.filter((f, i) => f.content !== a.files[i]!.content).map((f) => f.path);
    assert.deepEqual(differing, a.changed);
  });

  describe("a repository of 20 services", () => {
    const repo = generateMeshRepo(20);
    const analysis = analyzeTree(repo.files.filter((f) => f.path !== "meshplan.yaml"));
    const kinds = (kind: string) => analysis.resources.filter((r) => r.kind === kind).length;

    it("loads with no MP0xxx input finding", () => {
      const input = analysis.findings.filter((f) => /^MP0\d{3}$/.test(f.code));
      assert.deepEqual(input, []);
    });

    it("holds each service's objects and the shares of the other APIs", () => {
      assert.deepEqual(
        {
          Service: kinds("Service"),
          ServiceAccount: kinds("ServiceAccount"),
          Deployment: kinds("Deployment"),
          DestinationRule: kinds("DestinationRule"),
          VirtualService: kinds("VirtualService"),
          TrafficSplit: kinds("TrafficSplit"),
          HTTPRoute: kinds("HTTPRoute"),
          Ingress: kinds("Ingress"),
          AuthorizationPolicy: kinds("AuthorizationPolicy"),
          PeerAuthentication: kinds("PeerAuthentication"),
          Namespace: kinds("Namespace"),
          Gateway: kinds("Gateway"),
        },
        {
          Service: 30,
          ServiceAccount: 20,
          Deployment: 40,
          DestinationRule: 20,
          VirtualService: 20,
          TrafficSplit: 5,
          HTTPRoute: 2,
          Ingress: 2,
          AuthorizationPolicy: 5,
          PeerAuthentication: 2,
          Namespace: 3,
          Gateway: 1,
        },
      );
      assert.deepEqual(repo.counts.kinds, Object.fromEntries(Object.entries(repo.counts.kinds).map(([k]) => [k, kinds(k)])));
    });

    it("routes every service through its VirtualService with header, prefix and weighted rules", () => {
      const mesh = analysis.table.hosts.filter((h) => h.source === "istio" && h.attachment === "mesh");
      assert.equal(mesh.length, 20);
      for (const h of mesh) {
        assert.deepEqual(
          h.rules.map((r) => r.name),
          ["canary-testers", `${h.rules[1]!.name}`, "default"],
        );
        assert.ok(h.rules[0]!.matches[0]!.headers?.length, `${h.host}: header rule`);
        assert.equal(h.rules[1]!.matches[0]!.uri?.type, "prefix", `${h.host}: prefix rule`);
        assert.equal(h.rules[2]!.backends.reduce((sum, b) => sum + b.weight, 0), 100, `${h.host}: weighted rule`);
        assert.equal(h.rules[2]!.backends.length, 2);
      }
    });
  });

  it("splits 10% of the services with SMI, in the namespaces OSM monitors, and reports nothing about it", () => {
    const repo = generateMeshRepo(100);
    const analysis = analyzeTree(repo.files.filter((f) => f.path !== "meshplan.yaml"));
    const splits = analysis.resources.filter((r) => r.kind === "TrafficSplit");
    assert.equal(splits.length, 10);
    const monitored = new Set(analysis.resources.filter((r) => r.kind === "Namespace" && r.labels["openservicemesh.io/monitored-by"]).map((r) => r.name));
    assert.ok(splits.every((s) => monitored.has(s.namespace!)));
    assert.deepEqual(analysis.findings, []);
  });
});
