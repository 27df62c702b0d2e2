import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_PACK, defaultConfig, loadConfig } from "../../src/config/meshplan-config.js";

const file = (content: string) => ({ path: "meshplan.yaml", content });

describe("meshplan.yaml", () => {
  it("without a file, everything takes its default (whole tree, bundled and repository policies)", () => {
    const c = loadConfig(null);
    assert.deepEqual(c.config.manifests, ["."]);
    assert.deepEqual(c.config.policies, [DEFAULT_PACK, "policies"]);
    assert.deepEqual(c.findings, []);
  });

  it("reads manifest paths, external hosts, rule settings, exemptions and clusters", () => {
    const c = loadConfig(
      file(`manifests: [mesh/, gateways/]
policies: ["@default", org-policies]
externalHosts: ["*.googleapis.com"]
rules:
  MP1001: warning
  MP1002: off
  MP0201: { severity: info }
exemptions:
  - codes: [MP1001]
    namespaces: [legacy-*]
    reason: legacy services are routed by the old gateway
clusters:
  - name: prod-eu
    paths: [mesh/]
    prune: true
    driftPolicy: report
`),
    );
    assert.deepEqual(c.findings, []);
    assert.deepEqual(c.config.manifests, ["mesh/", "gateways/"]);
    assert.equal(c.config.rules.MP1002, "off");
    assert.deepEqual(c.config.rules.MP0201, { severity: "info" });
    assert.equal(c.config.exemptions[0]!.reason, "legacy services are routed by the old gateway");
    assert.equal(c.config.clusters[0]!.name, "prod-eu");
    assert.deepEqual([...c.explicit].sort(), ["clusters", "exemptions", "externalHosts", "manifests", "policies", "rules"]);
  });

  it("reports an unknown setting at its line and ignores it", () => {
    const c = loadConfig(file("manifests: [mesh]\nmanifest_paths: [x]\n"));
    assert.deepEqual(
      c.findings.map((f) => [f.code, f.line, f.path]),
      [["MP0020", 2, "manifest_paths"]],
    );
    assert.match(c.findings[0]!.message, /unknown setting "manifest_paths"/);
    assert.deepEqual(c.config.manifests, ["mesh"]);
  });

  it("a setting of the wrong type falls back to its default; the others still apply", () => {
    const c = loadConfig(file("externalHosts: [a.example.com]\nrules:\n  MP1001: loud\n"));
    assert.equal(c.findings.length, 1);
    assert.equal(c.findings[0]!.code, "MP0020");
    assert.equal(c.findings[0]!.line, 3);
    assert.deepEqual(c.config.rules, {});
    assert.deepEqual(c.config.externalHosts, ["a.example.com"]);
  });

  it("an exemption without a reason is invalid", () => {
    const c = loadConfig(file("exemptions:\n  - codes: [MP1001]\n"));
    assert.equal(c.findings[0]!.code, "MP0020");
    assert.match(c.findings[0]!.message, /exemptions\[0\]\.reason/);
    assert.deepEqual(c.config.exemptions, []);
  });

  it("broken YAML is a finding with its line, and the defaults apply", () => {
    const c = loadConfig(file("manifests: [mesh\nrules: {}\n"));
    assert.equal(c.findings[0]!.code, "MP0020");
    assert.ok((c.findings[0]!.line ?? 0) >= 1);
    assert.deepEqual(c.config, defaultConfig());
  });

  it("a document that is not a mapping is a finding", () => {
    const c = loadConfig(file("- manifests\n"));
    assert.equal(c.findings[0]!.code, "MP0020");
  });
});
