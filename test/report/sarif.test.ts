/**
 * SARIF 2.1.0 output for GitHub code scanning: valid against the official
 * schema (sarif-2.1.0-rtm.5), plus what GitHub's upload documents ("SARIF
 * support for code scanning"): every result names a rule the run defines,
 * levels are error/warning/note, located results carry a repository-relative
 * artifact URI and a region, and partialFingerprints identify a result across
 * runs so an alert survives lines moving.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { CodeInfo, Finding } from "../../src/findings.js";
import { analyzeTree } from "../../src/jobs/analyze-tree.js";
import { codeCatalogue } from "../../src/lint/catalogue.js";
import { defaultRuleOptions } from "../../src/lint/rule.js";
import { builtinRules } from "../../src/lint/rules/index.js";
import { runRules } from "../../src/lint/run-rules.js";
import { renderSarif } from "../../src/report/sarif.js";

const require = createRequire(import.meta.url);

/**
 * The schema is draft-04 (`id`, `$schema` draft-04); Ajv 8 reads it once those two keywords are dropped.
 * Its `language` pattern is not valid with the `u` flag, hence `unicodeRegExp: false`.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
  delete schema["$schema"];
  delete schema["id"];
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat("uri", (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s));
  ajv.addFormat("uri-reference", (s: string) => !/\s/.test(s));
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

const tree = {
  "mesh/reviews.yaml": `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - match:
    - uri: {regex: "/api/(v1"}
    route:
    - destination: {host: reviews, subset: v9}
`,
  "mesh/secret.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: hunter2
`,
  "mesh/broken.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: x\n",
  "mesh/ingress old.yaml": `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
  namespace: shop
spec:
  backend: {serviceName: web, servicePort: 80}
`,
};

function findingsOf(files: Record<string, string>): Finding[] {
  const analysis = analyzeTree(Object.entries(files).map(([path, content]) => ({ path, content })));
  return [...analysis.findings, ...runRules(builtinRules, analysis.model, analysis.table, defaultRuleOptions())];
}

const policy: CodeInfo = {
  code: "require-owner-labels",
  title: "Every workload names its owning team",
  severity: "warning",
  docs: "Organisational policy: workloads carry an `owner` label so alerts reach the team that runs them.",
};

function extraFindings(): Finding[] {
  return [
    { code: policy.code, severity: "info", message: "Secret shop/db has no owner label", resource: { apiVersion: "v1", kind: "Secret", namespace: "shop", name: "db" }, file: "mesh/secret.yaml", line: 4, column: 9, path: "metadata.labels", equivalents: [] },
    { code: "local.custom-check", severity: "warning", message: "a code nobody documents", resource: null, file: "mesh/secret.yaml", line: null, column: null, path: null, equivalents: [] },
    { code: "MP0090", severity: "error", message: "rule MP9999 (demo) failed: boom", resource: null, file: null, line: null, column: null, path: null, equivalents: [] },
  ];
}

function render(findings: Finding[]): Log {
  return JSON.parse(renderSarif(findings, { catalogue: codeCatalogue(), toolVersion: "0.1.0", extraRules: [policy] })) as Log;
}

describe("SARIF output", () => {
  const findings = [...findingsOf(tree), ...extraFindings()];
  const log = render(findings);
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  const results = run.results ?? [];

  it("covers findings of the loader, the engines and the analyzers in this fixture", () => {
    const codes = new Set(findings.map((f) => f.code));
    for (const code of ["MP0001", "MP0201", "MP1105", "MP1106", "MP1107"]) assert.ok(codes.has(code), `fixture yields ${code}`);
  });

  it("is valid SARIF 2.1.0 by the official JSON schema", () => {
    const validate = sarifValidator();
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  it("is checked by a schema that refuses what GitHub refuses (a level SARIF does not define)", () => {
    const broken = structuredClone(log);
    (broken.runs[0]!.results![0] as { level: string }).level = "info";
    assert.equal(sarifValidator()(broken), false);
  });

  it("describes meshplan as the tool", () => {
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs.length, 1);
    const driver = run.tool.driver;
    assert.equal(driver.name, "meshplan");
    assert.equal(driver.semanticVersion, "0.1.0");
    assert.equal(driver.informationUri, undefined, "no made-up project URL unless one is configured");
    const withUri = JSON.parse(renderSarif([], { catalogue: [], toolVersion: "0.1.0", informationUri: "https://example.com/meshplan" }));
    assert.equal(withUri.runs[0].tool.driver.informationUri, "https://example.com/meshplan");
  });

  it("has one result per finding, each naming a rule of the run by id and index", () => {
    assert.equal(results.length, findings.length);
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, "rule ids are unique");
    for (const r of results) {
      assert.ok(r.ruleId, "ruleId present");
      assert.equal(rules[r.ruleIndex!]?.id, r.ruleId);
    }
  });

  it("turns every catalogued code into a rule with descriptions, help, default level and tags", () => {
    const byId = new Map(rules.map((r) => [r.id, r] as [string, ReportingDescriptor]));
    for (const c of codeCatalogue()) {
      const r = byId.get(c.code);
      assert.ok(r, c.code);
      assert.equal(r.shortDescription?.text, c.title);
      assert.equal(r.fullDescription?.text, c.docs);
      assert.ok(r.help?.text?.includes(c.docs) && r.help.markdown?.includes(c.docs), `${c.code} help`);
      assert.match(r.name ?? "", /^[A-Za-z0-9]+$/);
      assert.equal(r.defaultConfiguration?.level, { error: "error", warning: "warning", info: "note" }[c.severity]);
      assert.ok(r.properties?.tags?.includes("meshplan"));
      assert.deepEqual(r.properties?.["equivalents"], [...(c.equivalents ?? [])]);
    }
    assert.deepEqual(byId.get("MP0201")?.properties?.["equivalents"], ["IST0101"]);
  });

  it("takes a policy's rule from extraRules and gives an undocumented code a minimal rule", () => {
    const policyRule = rules.find((r) => r.id === policy.code);
    assert.equal(policyRule?.shortDescription?.text, policy.title);
    assert.ok(policyRule?.properties?.tags?.includes("organisational-policy"));
    const minimal = rules.find((r) => r.id === "local.custom-check");
    assert.ok(minimal?.shortDescription?.text);
  });

  it("maps severities to SARIF levels (info is note)", () => {
    const level = (code: string) => results.find((r) => r.ruleId === code)?.level;
    assert.equal(level("MP1107"), "error");
    assert.equal(level(policy.code), "note");
    assert.equal(level("local.custom-check"), "warning");
    for (const r of results) assert.ok(["error", "warning", "note"].includes(r.level!), r.level);
  });

  it("locates every finding that has a file, relative to the repository root", () => {
    for (const [i, f] of findings.entries()) {
      const r = results.find((x) => x.ruleId === f.code && x.message.text?.startsWith(f.message) && (x.locations?.[0]?.physicalLocation?.region?.startLine ?? null) === f.line);
      assert.ok(r, `result for ${f.code} #${i}`);
      if (!f.file) {
        assert.equal(r.locations, undefined);
        continue;
      }
      const loc = r.locations?.[0]?.physicalLocation;
      assert.equal(loc?.artifactLocation?.uriBaseId, "%SRCROOT%");
      assert.equal(decodeURIComponent(loc?.artifactLocation?.uri ?? ""), f.file);
      assert.doesNotMatch(loc?.artifactLocation?.uri ?? "", /^[a-z]+:|^\//);
      if (f.line !== null) {
        assert.equal(loc?.region?.startLine, f.line);
        assert.equal(loc?.region?.startColumn, f.column ?? undefined);
      }
    }
    const spaced = results.find((r) => r.ruleId === "MP1106");
    assert.equal(spaced?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, "mesh/ingress%20old.yaml");
  });

  it("puts the fix into the message", () => {
    const secret = results.find((r) => r.ruleId === "MP1107");
    assert.match(secret?.message.text ?? "", /Fix: .*SealedSecret/);
    assert.ok(!(secret?.message.text ?? "").includes("hunter2"));
  });

  it("keeps partialFingerprints when the lines above a finding move, and they differ between findings", () => {
    const fingerprint = (r: Result) => `${r.ruleId} ${JSON.stringify(r.partialFingerprints)}`;
    const shifted = Object.fromEntries(Object.entries(tree).map(([path, content]) => [path, `# owned by the shop team\n\n${content}`]));
    const moved = render([...findingsOf(shifted), ...extraFindings()]).runs[0]!.results!;
    const lines = (rs: Result[]) => rs.map((r) => r.locations?.[0]?.physicalLocation?.region?.startLine ?? null).filter((l) => l !== null);
    assert.notDeepEqual(lines(moved), lines(results), "the fixture's lines did move");
    assert.deepEqual(moved.map(fingerprint).sort(), results.map(fingerprint).sort());
    const values = results.map((r) => Object.values(r.partialFingerprints ?? {})[0]);
    assert.equal(new Set(values).size, values.length);
  });

  it("gives repeated identical findings distinct fingerprints", () => {
    const f = extraFindings()[1]!;
    const [a, b] = render([f, { ...f }]).runs[0]!.results!;
    assert.notDeepEqual(a?.partialFingerprints, b?.partialFingerprints);
  });

  it("is a valid, empty scan when there are no findings", () => {
    const empty = render([]);
    assert.deepEqual(empty.runs[0]!.results, []);
    assert.ok(sarifValidator()(empty));
  });
});
