import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { EngineResult } from "../../../src/routing/engine.js";
import { istioRoutes } from "../../../src/routing/istio/istio-routes.js";
import { repoRoot } from "../../support/corpus.js";
import { modelFromFiles } from "../../support/model.js";
import { fqdn, hostRoutes, split } from "./istio-table.js";

function exampleTable(side: "base" | "head"): EngineResult {
  const dir = join(repoRoot, "examples", "bookinfo", side);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ path: f, content: readFileSync(join(dir, f)) }));
  const { model, findings } = modelFromFiles(files);
  assert.deepEqual(findings, [], `examples/bookinfo/${side} loads cleanly`);
  assert.equal(model.namespaces.get("bookinfo")?.istioInjected, true);
  return istioRoutes(model);
}

const JASON = [{ headers: [{ name: "end-user", match: { type: "exact", value: "jason" } }] }];

describe("examples/bookinfo (the canary the README describes)", () => {
  const base = exampleTable("base");
  const head = exampleTable("head");

  it("routes the same hosts on both sides, productpage through the gateway", () => {
    const keys = (r: EngineResult) => r.hosts.map((h) => h.key).sort();
    assert.deepEqual(keys(base), keys(head));
    const gw = hostRoutes(head, "bookinfo.example.com", "gateway:bookinfo/bookinfo-gateway");
    assert.deepEqual(split(gw, 0), ["v1:100"], "the gateway pins productpage v1, like the mesh route");
  });

  it("keeps jason on reviews v2 and moves everyone else from v1 100% to v1 80% / v3 20%", () => {
    const b = hostRoutes(base, fqdn("reviews", "bookinfo"));
    const h = hostRoutes(head, fqdn("reviews", "bookinfo"));
    assert.deepEqual([b.rules[0]!.matches, split(b, 0), split(b, 1)], [JASON, ["v2:100"], ["v1:100"]]);
    assert.deepEqual([h.rules[0]!.matches, split(h, 0), split(h, 1)], [JASON, ["v2:100"], ["v1:80", "v3:20"]]);
    assert.deepEqual(h.rules.map((r) => r.id), b.rules.map((r) => r.id));
  });

  it("delays jason's calls to ratings by 7s only in head", () => {
    assert.equal(hostRoutes(base, fqdn("ratings", "bookinfo")).rules.length, 1);
    const rules = hostRoutes(head, fqdn("ratings", "bookinfo")).rules;
    assert.equal(rules[0]!.name, "jason-delay");
    assert.deepEqual(rules[0]!.matches, JASON);
    assert.deepEqual(rules[0]!.policies.fault, { delay: { fixedDelay: "7s", percentage: 100 }, abort: null });
    assert.equal(rules[1]!.policies.fault, null);
  });

  it("shortens the details timeout and adds retries in head", () => {
    const b = hostRoutes(base, fqdn("details", "bookinfo")).rules[0]!.policies;
    const h = hostRoutes(head, fqdn("details", "bookinfo")).rules[0]!.policies;
    assert.deepEqual([b.timeout, b.retries], ["10s", null]);
    assert.deepEqual([h.timeout, h.retries], ["5s", { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure" }]);
  });

  it("resolves every subset to a selector that picks one deployed version", () => {
    for (const r of [base, head]) {
      assert.deepEqual(r.findings, []);
      for (const host of r.hosts) {
        for (const rule of host.rules) {
          for (const b of rule.backends) {
            if (b.subset === null) continue;
            assert.deepEqual(b.selector, { app: b.service.split(".")[0], version: b.subset });
          }
        }
      }
    }
  });
});
