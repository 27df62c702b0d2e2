/**
 * Agreement with istioctl analyze: runs meshplan on the inputs of Istio's own
 * analyzer test table (pkg/config/analysis/analyzers/analyzers_test.go, recorded
 * in the corpus as istio-analyzers/expectations.json) and compares, per case,
 * the findings standing for the analyzer with the messages the Go test expects.
 *
 * Matching follows the Go test (`semantics.matching`): an order-insensitive
 * multiset of (IST code, kind, namespace as written, name); message text, lines
 * and levels are not compared. Each case runs every built-in rule, but only the
 * codes mapped to the case's analyzer in test/lint/agreement/*.ts count, as
 * Istio runs only the named analyzer (`semantics.onlyOneAnalyzer`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Finding } from "../../src/findings.js";
import type { SourceFile } from "../../src/manifests/types.js";
import { analyzeTree } from "../../src/jobs/analyze-tree.js";
import { runRules } from "../../src/lint/run-rules.js";
import { defaultRuleOptions } from "../../src/lint/rule.js";
import { builtinRules } from "../../src/lint/rules/index.js";
import { corpusPath } from "../support/corpus.js";
import { analyzerCodes as virtualServiceCodes } from "./agreement/virtual-service.js";
import { analyzerCodes as istioGatewayCodes } from "./agreement/istio-gateway.js";
import { analyzerCodes as istioConfigCodes } from "./agreement/istio-config.js";

interface ExpectedMessage {
  type: string;
  code: string;
  kind: string;
  namespace: string | null;
  name: string;
}

interface AnalyzerCase {
  id: string;
  name: string;
  inputFiles: string[];
  analyzer: string;
  meshConfigFile?: string;
  meshNetworksFile?: string;
  expected: ExpectedMessage[];
}

const corpusDir = "istio-analyzers";
const expectations = JSON.parse(readFileSync(corpusPath(`${corpusDir}/expectations.json`), "utf8")) as {
  cases: AnalyzerCase[];
};

/** The analyzers the VirtualService, Gateway and config lint work is measured against (52 cases). */
const measuredAnalyzers: readonly string[] = [
  "virtualservice.DestinationHostAnalyzer",
  "virtualservice.DestinationRuleAnalyzer",
  "virtualservice.GatewayAnalyzer",
  "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
  "schema.ValidationAnalyzer.VirtualService",
  "gateway.IngressGatewayPortAnalyzer",
  "gateway.ConflictingGatewayAnalyzer",
  "service.PortNameAnalyzer",
  "destinationrule.PodNotSelectedAnalyzer",
  "deployment.ServiceAssociationAnalyzer",
  "sidecar.SelectorAnalyzer",
  "authz.AuthorizationPoliciesAnalyzer",
  "serviceentry.ProtocolAddressesAnalyzer",
  "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
  "k8sgateway.SelectorAnalyzer",
  "deprecation.FieldAnalyzer",
];
const measuredCaseCount = 52;
const requiredAgreement = 0.9;

function mergedCodes(): Map<string, readonly string[]> {
  const merged = new Map<string, readonly string[]>();
  for (const table of [virtualServiceCodes, istioGatewayCodes, istioConfigCodes]) {
    for (const [analyzer, codes] of Object.entries(table)) {
      merged.set(analyzer, [...(merged.get(analyzer) ?? []), ...codes]);
    }
  }
  return merged;
}
const codesByAnalyzer = mergedCodes();

/**
 * What istioctl's local analysis adds to every run (AddDefaultResources, with
 * the default ingressControllerMode STRICT): the default ingress gateway
 * Service and a dummy Pod backing it, in the istio namespace.
 */
const injectedDefaults = `apiVersion: v1
kind: Pod
metadata:
  name: istio-ingressgateway-dummypod
  namespace: istio-system
  labels:
    istio: ingressgateway
spec:
  containers:
  - name: istio-proxy
    image: proxyv2
---
apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  ports:
  - name: http2
    port: 80
  - name: https
    port: 443
  - name: tcp
    port: 31400
  - name: tls
    port: 15443
`;

/**
 * A case's MeshConfig overrides, as the cluster holds them: the `mesh` key of
 * ConfigMap istio-system/istio (what istiod reads), so rules see them as
 * ordinary input.
 */
function meshConfigMap(meshYaml: string): string {
  const indented = meshYaml
    .replace(/\n+$/, "")
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |
${indented}
`;
}

/**
 * The case's input files (for multi-cluster cases, every cluster's files in
 * one tree), the istioctl defaults and the MeshConfig overrides. MeshNetworks
 * files only matter to the multicluster analyzers and are not loaded.
 */
function caseFiles(c: AnalyzerCase): SourceFile[] {
  const files: SourceFile[] = c.inputFiles.map((rel) => ({
    path: rel,
    content: readFileSync(corpusPath(`${corpusDir}/${rel}`)),
  }));
  files.push({ path: "istioctl-defaults.yaml", content: injectedDefaults });
  if (c.meshConfigFile) {
    files.push({
      path: c.meshConfigFile,
      content: meshConfigMap(readFileSync(corpusPath(`${corpusDir}/${c.meshConfigFile}`), "utf8")),
    });
  }
  return files;
}

/** `IST0101 VirtualService default/reviews` (`VirtualService reviews` when no namespace is written). */
function messageKey(code: string, kind: string, namespace: string | null, name: string): string {
  return `${code} ${kind} ${namespace === null ? "" : `${namespace}/`}${name}`;
}

function istEquivalent(f: Finding): string {
  return f.equivalents.find((e) => e.startsWith("IST")) ?? `${f.code} (no IST equivalent)`;
}

interface CaseOutcome {
  actual: string[];
  expected: string[];
  /** Findings behind `actual`, for a readable failure. */
  details: string[];
}

const outcomes = new Map<string, CaseOutcome>();

function outcomeOf(c: AnalyzerCase, codes: readonly string[]): CaseOutcome {
  const cached = outcomes.get(c.id);
  if (cached) return cached;
  const analysis = analyzeTree(caseFiles(c));
  const findings = [
    ...analysis.findings,
    ...runRules(builtinRules, analysis.model, analysis.table, defaultRuleOptions()),
  ].filter((f) => codes.includes(f.code));
  const counted = findings.map((f) => ({
    key: messageKey(istEquivalent(f), f.resource?.kind ?? "(file)", f.resource?.namespace ?? null, f.resource?.name ?? f.file ?? ""),
    detail: `${f.code} ${f.file}:${f.line}:${f.column} ${f.path ?? ""}: ${f.message}`,
  }));
  const outcome: CaseOutcome = {
    actual: counted.map((x) => x.key).sort(),
    expected: c.expected.map((e) => messageKey(e.code, e.kind, e.namespace, e.name)).sort(),
    details: counted.sort((a, b) => a.key.localeCompare(b.key)).map((x) => x.detail),
  };
  outcomes.set(c.id, outcome);
  return outcome;
}

function agrees(o: CaseOutcome): boolean {
  return o.actual.length === o.expected.length && o.actual.every((k, i) => k === o.expected[i]);
}

const inScope = expectations.cases.filter(
  (c) => measuredAnalyzers.includes(c.analyzer) || codesByAnalyzer.has(c.analyzer),
);

describe("agreement with istioctl analyze (Istio's analyzer test table)", () => {
  for (const c of inScope) {
    const codes = codesByAnalyzer.get(c.analyzer);
    const title = `${c.id} ${c.name} (${c.analyzer})`;
    if (!codes) {
      it(title, { skip: "no meshplan rule yet" }, () => {});
      continue;
    }
    it(title, () => {
      const o = outcomeOf(c, codes);
      assert.deepEqual(
        o.actual,
        o.expected,
        `meshplan (${codes.join(", ")}) disagrees with istioctl on ${c.inputFiles.join(", ")}\n` +
          `meshplan findings:\n${o.details.map((d) => `  ${d}`).join("\n") || "  (none)"}`,
      );
    });
  }

  it(`agrees with istioctl on at least ${requiredAgreement * 100}% of the measured cases`, () => {
    const measured = expectations.cases.filter((c) => measuredAnalyzers.includes(c.analyzer));
    assert.equal(measured.length, measuredCaseCount, "the measured case set changed");
    const disagreeing: string[] = [];
    let agreeing = 0;
    for (const c of measured) {
      const codes = codesByAnalyzer.get(c.analyzer);
      if (codes && agrees(outcomeOf(c, codes))) agreeing++;
      else disagreeing.push(`${c.id} ${c.name} (${c.analyzer}${codes ? "" : ": no meshplan rule"})`);
    }
    console.log(`agreement: ${agreeing}/${measured.length}`);
    if (disagreeing.length) console.log(`disagreeing:\n${disagreeing.map((d) => `  ${d}`).join("\n")}`);
    assert.ok(
      agreeing / measured.length >= requiredAgreement,
      `agreement ${agreeing}/${measured.length} is below ${requiredAgreement * 100}%`,
    );
  });
});
