import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/meshplan-config.js";
import type { Finding } from "../../src/findings.js";
import { applyConfig, globMatches } from "../../src/lint/apply-config.js";
import { loadManifests } from "../../src/manifests/load.js";

const vs = (annotations = "") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: legacy-shop
${annotations}
spec:
  hosts: [reviews]
`;

function setup(yaml: string, config = "") {
  const { resources } = loadManifests([{ path: "mesh/reviews.yaml", content: yaml }]);
  const res = resources[0]!;
  const finding = (code: string): Finding => ({
    code,
    severity: "error",
    message: `${code} on reviews`,
    resource: { apiVersion: res.apiVersion, kind: res.kind, namespace: res.namespace, name: res.name },
    file: res.file,
    line: 7,
    column: 3,
    path: "spec.hosts",
    equivalents: [],
  });
  const loaded = loadConfig(config ? { path: "meshplan.yaml", content: config } : null);
  return { resources, finding, loaded };
}

const known = new Set(["MP1001", "MP1002", "MP0201"]);

describe("meshplan.yaml rule settings", () => {
  it("turns a rule off", () => {
    const { resources, finding, loaded } = setup(vs(), "rules:\n  MP1001: off\n");
    assert.deepEqual(applyConfig([finding("MP1001"), finding("MP1002")], resources, loaded, known).findings.map((f) => f.code), ["MP1002"]);
  });
  it("overrides a rule's severity", () => {
    const { resources, finding, loaded } = setup(vs(), "rules:\n  MP1001: { severity: warning }\n");
    assert.equal(applyConfig([finding("MP1001")], resources, loaded, known).findings[0]!.severity, "warning");
  });
  it("an exemption silences matching findings and keeps its reason", () => {
    const { resources, finding, loaded } = setup(vs(), "exemptions:\n  - codes: [MP1001]\n    namespaces: [legacy-*]\n    reason: owned by the old platform\n");
    const r = applyConfig([finding("MP1001"), finding("MP1002")], resources, loaded, known);
    assert.deepEqual(r.findings.map((f) => f.code), ["MP1002"]);
    assert.deepEqual(r.suppressed.map((s) => [s.finding.code, s.reason, s.by]), [["MP1001", "owned by the old platform", "config"]]);
  });
  it("an exemption for other namespaces does not apply", () => {
    const { resources, finding, loaded } = setup(vs(), "exemptions:\n  - codes: [MP1001]\n    namespaces: [prod-*]\n    reason: x\n");
    assert.equal(applyConfig([finding("MP1001")], resources, loaded, known).findings.length, 1);
  });
  it("a setting for an unknown code is reported at its line", () => {
    const { resources, loaded } = setup(vs(), "rules:\n  MP9999: off\n");
    const r = applyConfig([], resources, loaded, known);
    assert.deepEqual(r.findings.map((f) => [f.code, f.file, f.line]), [["MP0022", "meshplan.yaml", 2]]);
  });
});

describe("meshplan.io/ignore annotations", () => {
  it("silence the named code on that resource, with the reason", () => {
    const { resources, finding, loaded } = setup(vs(`  annotations:\n    meshplan.io/ignore: "MP1001: payments is routed by another team"`));
    const r = applyConfig([finding("MP1001"), finding("MP1002")], resources, loaded, known);
    assert.deepEqual(r.findings.map((f) => f.code), ["MP1002"]);
    assert.equal(r.suppressed[0]!.reason, "payments is routed by another team");
  });
  it("several entries separated by ';', several codes per entry", () => {
    const { resources, finding, loaded } = setup(vs(`  annotations:\n    meshplan.io/ignore: "MP1001, MP1002: shared reason; MP0201: another"`));
    const r = applyConfig([finding("MP1001"), finding("MP1002"), finding("MP0201")], resources, loaded, known);
    assert.deepEqual(r.findings, []);
    assert.equal(r.suppressed.length, 3);
  });
  it("a suppression without a reason is itself a finding and silences nothing", () => {
    const { resources, finding, loaded } = setup(vs(`  annotations:\n    meshplan.io/ignore: "MP1001"`));
    const r = applyConfig([finding("MP1001")], resources, loaded, known);
    assert.deepEqual(r.findings.map((f) => f.code).sort(), ["MP0021", "MP1001"]);
    const mp0021 = r.findings.find((f) => f.code === "MP0021")!;
    assert.equal(mp0021.line, 7);
    assert.equal(mp0021.path, "metadata.annotations.meshplan.io/ignore");
  });
  it("a suppression for a code the resource does not trigger is reported as unused", () => {
    const { resources, loaded } = setup(vs(`  annotations:\n    meshplan.io/ignore: "MP1002: old workaround"`));
    assert.deepEqual(applyConfig([], resources, loaded, known).findings.map((f) => [f.code, f.severity]), [["MP0023", "info"]]);
  });
  it("a suppression naming an unknown code is reported", () => {
    const { resources, loaded } = setup(vs(`  annotations:\n    meshplan.io/ignore: "MP9999: typo"`));
    assert.deepEqual(applyConfig([], resources, loaded, known).findings.map((f) => f.code), ["MP0022"]);
  });
  it("does not silence the same code on another resource", () => {
    const { resources, finding, loaded } = setup(vs(`  annotations:\n    meshplan.io/ignore: "MP1001: reason"`));
    const other = { ...finding("MP1001"), resource: { ...finding("MP1001").resource!, name: "ratings" } };
    assert.equal(applyConfig([other], resources, loaded, known).findings.filter((f) => f.code === "MP1001").length, 1);
  });
});

describe("glob patterns", () => {
  const cases: [string, string, boolean][] = [
    ["legacy-*", "legacy-shop", true],
    ["legacy-*", "shop", false],
    ["*-prod", "eu-prod", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "acb", false],
    ["exact", "exact", true],
  ];
  for (const [p, v, want] of cases) it(`${p} ${want ? "matches" : "does not match"} ${v}`, () => assert.equal(globMatches(p, v), want));
});
