import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { serviceFqdn } from "../../../src/mesh/hosts.js";
import { evaluateAccess } from "../../../src/routing/access.js";
import { smiPermissive } from "../../../src/routing/smi/smi-permissive.js";
import { smiRoutes } from "../../../src/routing/smi/smi-routes.js";
import { requestFrom, traceRequest } from "../../../src/routing/trace.js";
import type { RoutingTable } from "../../../src/routing/types.js";
import { repoRoot } from "../../support/corpus.js";
import { modelFromYaml } from "../../support/model.js";

type Side = "base" | "head";

function bookstore(side: Side) {
  const dir = join(repoRoot, "examples", "bookstore", side);
  const files = Object.fromEntries(readdirSync(dir).sort().map((n) => [`examples/bookstore/${side}/${n}`, readFileSync(join(dir, n), "utf8")]));
  const { model, findings } = modelFromYaml(files);
  const r = smiRoutes(model);
  const table: RoutingTable = { hosts: r.hosts, access: { rules: r.access, smiPermissive: smiPermissive(model) } };
  return { model, table, findings: [...findings, ...r.findings] };
}

describe("examples/bookstore: canary to bookstore-v2 and access for bookthief", () => {
  for (const side of ["base", "head"] as const) {
    it(`${side} is complete: no findings, SMI enforced`, () => {
      const { table, findings } = bookstore(side);
      assert.deepEqual(findings, []);
      assert.equal(table.access.smiPermissive, false);
    });
  }

  const splits: [Side, string, Record<string, number>][] = [
    ["base", "sends every bookstore request to bookstore-v1", { "bookstore-v1": 100 }],
    ["head", "sends 80% of bookstore requests to bookstore-v1 and 20% to bookstore-v2", { "bookstore-v1": 80, "bookstore-v2": 20 }],
  ];
  for (const [side, name, expected] of splits) {
    it(`${side} ${name}`, () => {
      const { model, table } = bookstore(side);
      const result = traceRequest(
        model,
        table,
        requestFrom({ host: "bookstore.bookstore", port: 14001, path: "/books-bought", from: { namespace: "bookbuyer", serviceAccount: "bookbuyer" } }),
      );
      assert.equal(result.allowed, true);
      assert.equal(result.matchedBy?.hostKey, "smi|mesh|bookstore.bookstore.svc.cluster.local|*|http");
      assert.deepEqual(
        result.backends,
        Object.entries(expected).map(([svc, weight]) => ({ service: serviceFqdn(svc, "bookstore"), subset: null, port: null, weight })),
      );
    });
  }

  // SMI traffic-access: only the listed sources, on the listed routes, reach the destination service account.
  const access: [Side, string, string, string, string, boolean][] = [
    // side, caller, destination service, method, path, allowed
    ["base", "bookbuyer", "bookstore-v1", "GET", "/books-bought", true],
    ["base", "bookbuyer", "bookstore-v1", "GET", "/buy-a-book/new", true],
    ["base", "bookbuyer", "bookstore-v1", "POST", "/books-bought", false],
    ["base", "bookbuyer", "bookstore-v1", "GET", "/books-bought/2", false],
    ["base", "bookthief", "bookstore-v1", "GET", "/books-bought", false],
    ["base", "bookthief", "bookstore-v1", "GET", "/buy-a-book/new", false],
    ["base", "bookstore", "bookwarehouse", "POST", "/restock-books", true],
    ["base", "bookbuyer", "bookwarehouse", "POST", "/restock-books", false],
    ["head", "bookbuyer", "bookstore-v2", "GET", "/buy-a-book/new", true],
    ["head", "bookthief", "bookstore-v1", "GET", "/books-bought", true],
    ["head", "bookthief", "bookstore-v2", "GET", "/books-bought", true],
    ["head", "bookthief", "bookstore-v2", "GET", "/buy-a-book/new", false],
    ["head", "bookstore", "bookwarehouse", "POST", "/restock-books", true],
  ];
  for (const [side, caller, dest, method, path, allowed] of access) {
    it(`${side} ${allowed ? "allows" : "denies"} ${caller} ${method} ${path} on ${dest}`, () => {
      const { model, table } = bookstore(side);
      const ns = dest.startsWith("bookstore") ? "bookstore" : dest;
      const workload = model.services.get(serviceFqdn(dest, ns))!.workloads[0]!;
      const decision = evaluateAccess(
        table.access,
        { namespace: workload.namespace, labels: workload.labels, serviceAccount: workload.serviceAccount },
        requestFrom({ host: `${dest}.${ns}`, port: 14001, method, path, from: { namespace: caller, serviceAccount: caller } }),
      );
      assert.equal(decision.allowed, allowed, decision.reason ?? "");
    });
  }

  it("head adds exactly one access rule, for bookthief", () => {
    const ids = (side: Side) => bookstore(side).table.access.rules.map((r) => r.id);
    assert.deepEqual(
      ids("head").filter((id) => !ids("base").includes(id)),
      ["smi|TrafficTarget|bookstore/bookthief-to-bookstore"],
    );
    assert.deepEqual(
      bookstore("head").table.access.rules.find((r) => r.id.endsWith("bookthief-to-bookstore"))?.summary,
      "allow bookthief/bookthief -> bookstore/bookstore: GET /books-bought",
    );
  });
});
