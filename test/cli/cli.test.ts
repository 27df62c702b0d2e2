/** The meshplan binary as users run it: exit codes, stdout/stderr split, formats, help. */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli.js";

describe("meshplan --help", () => {
  it("lists the commands and exits 0", () => {
    const r = runCli(["--help"]);
    assert.equal(r.status, 0);
    for (const c of ["plan", "routes", "trace"]) assert.match(r.stdout, new RegExp(`^  ${c} `, "m"));
  });
  for (const c of ["plan", "routes", "trace"]) {
    it(`${c} --help prints usage and exits 0`, () => {
      const r = runCli([c, "--help"]);
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(`^Usage: meshplan ${c}`));
    });
  }
  it("an unknown command is a usage error (exit 2) on stderr", () => {
    const r = runCli(["deploy-everything"]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /unknown command "deploy-everything"/);
  });
  it("an unknown option is a usage error naming it", () => {
    const r = runCli(["routes", "--colour"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--colour/);
  });
  it("an unsupported format is a usage error", () => {
    const r = runCli(["routes", "examples/bookinfo/base", "--format", "yaml"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be one of text, markdown, json/);
  });
});

describe("meshplan plan on the bundled examples", () => {
  it("bookinfo: shows the reviews shift to v1 50% / v3 50% and exits 0", () => {
    const r = runCli(["plan", "--example", "bookinfo", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.schemaVersion, "meshplan/v1");
    const text = JSON.stringify(report.diff);
    assert.match(text, /reviews\.bookinfo\.svc\.cluster\.local/);
    assert.match(r.stderr, /^meshplan: base examples\/bookinfo\/base/m, "progress goes to stderr");
  });
  it("bookinfo as markdown carries a Mermaid picture", () => {
    const r = runCli(["plan", "--example", "bookinfo", "--format", "markdown"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /```mermaid/);
  });
  it("bookstore (SMI): plans and exits 0", () => {
    const r = runCli(["plan", "--example", "bookstore"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /bookstore/);
  });
  it("--quiet leaves stderr empty", () => {
    const r = runCli(["plan", "--example", "bookinfo", "--quiet"]);
    assert.equal(r.stderr, "");
  });
  it("an unknown example is a usage error", () => {
    assert.equal(runCli(["plan", "--example", "../etc"]).status, 2);
  });
});

describe("meshplan plan on a local git repository", () => {
  let repo = "";
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, stdio: "pipe" }).toString().trim();
  const vs = (weightV1: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
  labels: {owner: books, team: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${weightV1}
    - destination: {host: reviews, subset: v2}
      weight: ${100 - weightV1}
`;
  const deployment = (v: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-${v}, namespace: default, labels: {owner: books, team: reviews}}
spec:
  selector: {matchLabels: {app: reviews, version: ${v}}}
  template:
    metadata: {labels: {app: reviews, version: ${v}}}
    spec: {containers: [{name: reviews, image: reviews:${v}}]}
---
`;
  const svc = `${deployment("v1")}${deployment("v2")}apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default, labels: {owner: books, team: reviews}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default, labels: {owner: books, team: reviews}}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;
  before(() => {
    repo = mkdtempSync(join(tmpdir(), "meshplan-cli-"));
    git("init", "-q", "-b", "main");
    mkdirSync(join(repo, "mesh"));
    writeFileSync(join(repo, "mesh", "reviews.yaml"), svc + "---\n" + vs(100));
    git("add", "-A");
    git("commit", "-qm", "base");
    writeFileSync(join(repo, "mesh", "reviews.yaml"), svc + "---\n" + vs(85));
    git("commit", "-qam", "shift 15% to v2");
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it("--base HEAD~1 --head HEAD reports the weight change", () => {
    const r = runCli(["plan", "--repo", repo, "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.base.label, "HEAD~1");
    assert.match(report.base.commit, /^[0-9a-f]{40}$/);
    assert.match(JSON.stringify(report.diff), /"weight":85/);
  });
  it("without --head, plans the working tree against HEAD", () => {
    writeFileSync(join(repo, "mesh", "reviews.yaml"), svc + "---\n" + vs(70));
    const r = runCli(["plan", "--repo", repo, "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.head.label, "working tree");
    assert.match(JSON.stringify(report.diff), /"weight":70/);
  });
  it("an unknown ref is an input error (exit 2) with the ref in the message", () => {
    const r = runCli(["plan", "--repo", repo, "--base", "no-such-branch"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no-such-branch/);
  });
  it("a head with a broken file exits 1 and names file and line", () => {
    writeFileSync(join(repo, "mesh", "broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n");
    const r = runCli(["plan", "--repo", repo]);
    rmSync(join(repo, "mesh", "broken.yaml"));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /mesh\/broken\.yaml:\d+/);
  });
});

describe("meshplan routes and trace", () => {
  it("routes --format json prints the table", () => {
    const r = runCli(["routes", "examples/bookinfo/head", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const table = JSON.parse(r.stdout);
    assert.ok(table.hosts.some((h: { host: string }) => h.host === "reviews.bookinfo.svc.cluster.local"));
  });
  it("trace sends end-user=jason to reviews v2 (JSON contract)", () => {
    const r = runCli(["trace", "examples/bookinfo/head", "--host", "reviews.bookinfo", "--header", "end-user=jason", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const t = JSON.parse(r.stdout);
    for (const k of ["request", "allowed", "deniedBy", "matchedBy", "backends", "timeout", "retries", "fault", "mirror"]) assert.ok(k in t, `missing ${k}`);
    assert.deepEqual(t.backends, [{ service: "reviews.bookinfo.svc.cluster.local", subset: "v2", port: null, weight: 100 }]);
  });
  it("trace of a path no rule matches exits 1", () => {
    const r = runCli(["trace", "examples/bookinfo/head", "--gateway", "bookinfo/bookinfo-gateway", "--host", "bookinfo.example.com", "--path", "/nowhere"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /404/);
  });
  it("trace without --host is a usage error", () => {
    assert.equal(runCli(["trace", "examples/bookinfo/head"]).status, 2);
  });
  it("a path that does not exist is an input error", () => {
    const r = runCli(["routes", "no/such/dir"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no\/such\/dir/);
  });
});

describe("meshplan routes reads manifests as meshplan.yaml defines them", () => {
  it("leaves out meshplan.yaml and the policy directories", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshplan-routes-"));
    try {
      mkdirSync(join(dir, "mesh"));
      mkdirSync(join(dir, "org-policies"));
      writeFileSync(join(dir, "meshplan.yaml"), "policies: [org-policies]\n");
      writeFileSync(join(dir, "org-policies", "p.yaml"), "apiVersion: policy.meshplan.io/v1alpha1\nkind: MeshPolicy\nmetadata: {name: p}\nspec: {}\n");
      writeFileSync(join(dir, "mesh", "svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{name: http, port: 80}]}\n");
      const r = runCli(["routes", "--format", "json"], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /findings/, "meshplan.yaml is not read as a manifest");
      assert.deepEqual(JSON.parse(r.stdout).hosts.map((h: { host: string }) => h.host), ["web.shop.svc.cluster.local"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
