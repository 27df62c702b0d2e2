import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { liveSourceFiles } from "../../src/cluster/live-files.js";
import { withoutServerFields } from "../../src/cluster/object-diff.js";
import type { LiveObject } from "../../src/cluster/cluster-port.js";
import { loadManifests } from "../../src/manifests/load.js";
import { asApplied, reviewsDesired, reviewsServiceLive } from "./live-fixtures.js";

function namespaceLive(): LiveObject {
  return asApplied({
    apiVersion: "v1",
    kind: "Namespace",
    // YAML 1.1 reads a bare `on` or `enabled`-like word as a boolean; the label value must stay a string.
    metadata: { name: "bookinfo", labels: { "istio-injection": "enabled", "kubernetes.io/metadata.name": "bookinfo", legacy: "on", mode: "0777" } },
    spec: { finalizers: ["kubernetes"] },
  });
}

function gatewayLive(): LiveObject {
  return asApplied({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GatewayClass",
    metadata: { name: "istio", annotations: { note: "yes", since: "2026-11-24T10:00:00Z" } },
    spec: { controllerName: "istio.io/gateway-controller", description: "multi\nline: text # not a comment" },
  });
}

describe("liveSourceFiles", () => {
  it("writes one file per object under <origin>/<namespace or _cluster>/<kind>.<group or core>/<name>.yaml, sorted", () => {
    const files = liveSourceFiles([asApplied(reviewsDesired()), reviewsServiceLive(), namespaceLive(), gatewayLive()], "live/prod-eu/");
    assert.deepEqual(
      files.map((f) => f.path),
      [
        "live/prod-eu/_cluster/GatewayClass.gateway.networking.k8s.io/istio.yaml",
        "live/prod-eu/_cluster/Namespace.core/bookinfo.yaml",
        "live/prod-eu/bookinfo/Service.core/reviews.yaml",
        "live/prod-eu/bookinfo/VirtualService.networking.istio.io/reviews.yaml",
      ],
    );
  });

  it("loads back through loadManifests as the same objects without server fields", () => {
    const live = [asApplied(reviewsDesired()), reviewsServiceLive(), namespaceLive(), gatewayLive()];
    const { resources, findings } = loadManifests(liveSourceFiles(live, "live"));
    assert.deepEqual(findings, []);
    const byName = new Map(resources.map((r) => [`${r.kind}/${r.name}`, r]));
    for (const o of live) {
      const r = byName.get(`${o.kind}/${o.metadata.name}`);
      assert.ok(r, `${o.kind}/${o.metadata.name} loaded`);
      assert.deepEqual(r.object, withoutServerFields(o));
      assert.equal(r.object["status"], undefined);
    }
    assert.equal(byName.get("Namespace/bookinfo")?.labels["legacy"], "on");
    assert.equal(byName.get("VirtualService/reviews")?.namespace, "bookinfo");
  });

  it("keeps the first copy of an object listed twice", () => {
    const first = asApplied(reviewsDesired());
    const second = asApplied({ ...reviewsDesired(), apiVersion: "networking.istio.io/v1beta1" });
    const files = liveSourceFiles([first, second], "live");
    assert.equal(files.length, 1);
    assert.match(String(files[0]?.content), /apiVersion: networking.istio.io\/v1\n/);
  });

  it("does not touch its input", () => {
    const o = asApplied(reviewsDesired());
    const before = structuredClone(o);
    liveSourceFiles([o], "live");
    assert.deepEqual(o, before);
  });
});
