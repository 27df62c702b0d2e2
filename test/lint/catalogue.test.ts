/**
 * The code catalogue: every finding code meshplan can emit, documented once,
 * and docs/rules.md generated from it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { configCodes } from "../../src/config/config-codes.js";
import { catalogueEntries, codeCatalogue, codeInfo } from "../../src/lint/catalogue.js";
import { policyCodes } from "../../src/lint/policies/policy-codes.js";
import { builtinRules } from "../../src/lint/rules/index.js";
import { generalRules } from "../../src/lint/rules/general/index.js";
import { inputCodes } from "../../src/manifests/codes.js";
import { gatewayApiFindings } from "../../src/routing/gateway-api/gateway-api-findings.js";
import { ingressFindings } from "../../src/routing/ingress/ingress-findings.js";
import { istioRouteCodes } from "../../src/routing/istio/istio-route-codes.js";
import { smiCodes } from "../../src/routing/smi/smi-codes.js";
import { rulesDoc, rulesDocPath } from "../../scripts/gen-rules-doc.js";

const severities = new Set(["error", "warning", "info"]);

describe("code catalogue", () => {
  const catalogue = codeCatalogue();

  it("names every code MPnnnn", () => {
    assert.deepEqual(
      catalogue.map((c) => c.code).filter((code) => !/^MP\d{4}$/.test(code)),
      [],
    );
  });

  it("documents no code twice with different metadata", () => {
    const first = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of catalogueEntries()) {
      const text = JSON.stringify(c);
      const seen = first.get(c.code);
      if (seen !== undefined && seen !== text) clashes.push(`${c.code}: ${seen} <> ${text}`);
      if (seen === undefined) first.set(c.code, text);
    }
    assert.deepEqual(clashes, []);
  });

  it("is sorted by code and lists each code once", () => {
    const codes = catalogue.map((c) => c.code);
    assert.deepEqual(codes, [...new Set(codes)].sort());
  });

  it("holds every engine, configuration and policy code, every built-in rule and the rule-failure code", () => {
    const expected = [
      ...Object.values(inputCodes),
      ...Object.values(istioRouteCodes),
      ...Object.values(gatewayApiFindings),
      ...Object.values(ingressFindings),
      ...Object.values(smiCodes),
      ...Object.values(configCodes),
      ...Object.values(policyCodes),
      ...builtinRules,
    ].map((c) => c.code);
    const codes = new Set(catalogue.map((c) => c.code));
    assert.deepEqual(
      [...expected, "MP0090"].filter((c) => !codes.has(c)),
      [],
    );
  });

  it("gives every code a title, a known severity and one paragraph of docs", () => {
    for (const c of catalogue) {
      assert.ok(c.title.trim().length > 0, c.code);
      assert.ok(severities.has(c.severity), `${c.code} severity ${c.severity}`);
      assert.ok(c.docs.trim().length > 40, `${c.code} docs`);
      assert.ok(!c.docs.includes("\n\n"), `${c.code} docs are one paragraph`);
      for (const e of c.equivalents ?? []) assert.match(e, /^(IST|KIA)\d{4}$/, `${c.code} equivalent ${e}`);
    }
  });

  it("keeps the general rules in MP1100–MP1199", () => {
    for (const r of generalRules) assert.match(r.code, /^MP11\d\d$/, r.title);
  });

  it("looks a code up with codeInfo", () => {
    const rule = generalRules[0]!;
    assert.deepEqual(codeInfo(rule.code), catalogue.find((c) => c.code === rule.code));
    assert.equal(codeInfo(rule.code)?.title, rule.title);
    assert.equal(codeInfo("MP0090")?.severity, "error");
    assert.equal(codeInfo("require-owner-labels"), undefined);
  });
});

describe("docs/rules.md", () => {
  const text = rulesDoc();

  it("has a section for every catalogued code", () => {
    for (const c of codeCatalogue()) assert.ok(text.includes(`### ${c.code}: ${c.title}\n`), c.code);
  });

  it("explains suppression annotations and severity overrides", () => {
    assert.match(text, /meshplan\.io\/ignore: "MP\d{4}: /);
    assert.match(text, /meshplan\.yaml/);
  });

  it("is up to date with the catalogue (regenerate it with `npm run docs:rules`)", () => {
    const onDisk = existsSync(rulesDocPath) ? readFileSync(rulesDocPath, "utf8") : "";
    assert.ok(onDisk === text, "docs/rules.md is stale: run `npm run docs:rules` and commit the result");
  });
});
