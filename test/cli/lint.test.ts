/** `meshplan lint` as users run it: exit codes, formats, meshplan.yaml and suppressions. */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli.js";

const mesh = (annotations = "") => `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop, labels: {app.kubernetes.io/owner: shop-team, team: shop}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
${annotations}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v9}
`;

describe("meshplan lint", () => {
  let repo = "";
  const write = (files: Record<string, string>) => {
    rmSync(repo, { recursive: true, force: true });
    mkdirSync(join(repo, "mesh"), { recursive: true });
    for (const [p, c] of Object.entries(files)) writeFileSync(join(repo, p), c);
  };
  before(() => {
    repo = mkdtempSync(join(tmpdir(), "meshplan-lint-"));
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it("exits 1 on an error finding and prints file:line:col severity CODE", () => {
    write({ "mesh/reviews.yaml": mesh(), "meshplan.yaml": "policies: []\n" });
    const r = runCli(["lint", "--root", repo]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^mesh\/reviews\.yaml:\d+:\d+ error MP0201 /m);
  });

  it("--format sarif prints SARIF 2.1.0 with the rule and a located result", () => {
    write({ "mesh/reviews.yaml": mesh(), "meshplan.yaml": "policies: []\n" });
    const r = runCli(["lint", "--root", repo, "--format", "sarif"]);
    assert.equal(r.status, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, "2.1.0");
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, "meshplan");
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === "MP0201");
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, "mesh/reviews.yaml");
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === "MP0201"));
  });

  it("--format json prints the findings with their contract fields", () => {
    write({ "mesh/reviews.yaml": mesh(), "meshplan.yaml": "policies: []\n" });
    const out = JSON.parse(runCli(["lint", "--root", repo, "--format", "json"]).stdout);
    const f = out.findings.find((x: { code: string }) => x.code === "MP0201");
    for (const k of ["code", "severity", "message", "resource", "file", "line", "column", "path", "equivalents"]) assert.ok(k in f, k);
    assert.deepEqual(f.equivalents, ["IST0101"]);
  });

  it("a rule turned off in meshplan.yaml no longer fails the run", () => {
    write({ "mesh/reviews.yaml": mesh(), "meshplan.yaml": "policies: []\nrules:\n  MP0201: off\n" });
    const r = runCli(["lint", "--root", repo]);
    assert.doesNotMatch(r.stdout, /MP0201/);
  });

  it("a meshplan.io/ignore annotation with a reason silences the finding", () => {
    write({ "mesh/reviews.yaml": mesh(`  annotations:\n    meshplan.io/ignore: "MP0201: v9 is created by the rollout controller"`), "meshplan.yaml": "policies: []\n" });
    const r = runCli(["lint", "--root", repo]);
    assert.doesNotMatch(r.stdout, /MP0201/);
    assert.match(r.stderr, /1 findings silenced/);
  });

  it("--format markdown gives a verdict and a table", () => {
    write({ "mesh/reviews.yaml": mesh(), "meshplan.yaml": "policies: []\n" });
    const r = runCli(["lint", "--root", repo, "--format", "markdown"]);
    assert.match(r.stdout, /^## ❌ meshplan lint: /);
    assert.match(r.stdout, /\| ❌ error \| `MP0201` \| .* \| `mesh\/reviews\.yaml:\d+` \|/);
  });

  it("--help documents the suppression annotation", () => {
    const r = runCli(["lint", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /meshplan\.io\/ignore/);
  });
});
