import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffRouting } from "../../src/routing/diff.js";
import { renderPlanMarkdown, renderRoutesMarkdown, renderTraceMarkdown } from "../../src/report/markdown.js";
import type { PlanReport } from "../../src/report/plan-report.js";
import { deniedTraceFixture, headTable, planFixture, traceFixture } from "./fixtures.js";
import { assertGolden } from "./golden.js";
import { mermaidProblems } from "./mermaid-syntax.js";
import { finding, host, match, rule, table } from "./table-builder.js";

function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

describe("renderPlanMarkdown", () => {
  it("renders the bookinfo canary plan as in the golden file", () => {
    assertGolden("plan.md", renderPlanMarkdown(planFixture()));
  });

  it("starts with a one-line verdict that fails on a head error", () => {
    const first = renderPlanMarkdown(planFixture()).split("\n")[0]!;
    assert.match(first, /^## ❌ meshplan plan: 7 hosts changed/);
  });

  it("passes with no findings and no changes", () => {
    const r = planFixture();
    const clean: PlanReport = { ...r, diff: diffRouting(headTable, headTable), findings: [], newFindings: [], fixedFindings: [] };
    assert.equal(renderPlanMarkdown(clean).split("\n")[0], "## ✅ meshplan plan: no routing changes · no findings");
  });

  it("draws one valid Mermaid flowchart per changed host", () => {
    const md = renderPlanMarkdown(planFixture());
    const blocks = mermaidBlocks(md);
    assert.equal(blocks.length, planFixture().diff.hosts.length);
    for (const b of blocks) assert.deepEqual(mermaidProblems(b), []);
  });

  it("keeps Mermaid valid for hosts and values full of syntax characters", () => {
    const nasty = 'we"ird<host>#1;end|x`';
    const base = table([]);
    const head = table([
      host(nasty, [
        rule("r1", { matches: [match.header("x-v", 'a"b;c#d<e>|f')], to: `${nasty}:80 100` }),
        rule("end", { matches: [match.prefix("%%{init}%%")], to: "end 100" }),
      ]),
    ]);
    const md = renderPlanMarkdown({ ...planFixture(), diff: diffRouting(base, head), findings: [], newFindings: [], fixedFindings: [] });
    const blocks = mermaidBlocks(md);
    assert.equal(blocks.length, 1);
    assert.deepEqual(mermaidProblems(blocks[0]!), []);
  });

  it("escapes pipes in table cells so a message with `|` stays one row", () => {
    const md = renderPlanMarkdown(planFixture());
    const row = md.split("\n").find((l) => l.includes("MP1310"))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
  });
});

describe("renderPlanMarkdown: size limit", () => {
  /** 120 changed hosts and 60 new findings: far beyond a small limit. */
  function bigReport(): PlanReport {
    const names = Array.from({ length: 120 }, (_, i) => `svc-${String(i).padStart(3, "0")}`);
    const base = table(names.map((n) => host(n, [rule(`${n}/all`, { to: `${n} v1 100` })])));
    const head = table(names.map((n) => host(n, [rule(`${n}/all`, { to: `${n} v1 90, ${n} v2 10` })])));
    const fresh = Array.from({ length: 60 }, (_, i) => finding("MP1101", "error", `subset v2 of svc-${i} is not defined`, { name: `svc-${i}`, line: i + 1 }));
    return { ...planFixture(), diff: diffRouting(base, head), findings: fresh, newFindings: fresh, fixedFindings: [] };
  }

  it("is untouched, with no note, when it fits", () => {
    const md = renderPlanMarkdown(planFixture());
    assert.ok(md.length < 65000);
    assert.doesNotMatch(md, /\[!WARNING\]/);
  });

  for (const maxChars of [60000, 20000, 6000, 2500]) {
    it(`fits ${maxChars} characters by dropping whole sections and says how many were left out`, () => {
      const report = bigReport();
      const md = renderPlanMarkdown(report, { maxChars });
      assert.ok(md.length <= maxChars, `${md.length} > ${maxChars}`);

      const hostsShown = (md.match(/^#### /gm) ?? []).length;
      const rowsShown = md.split("\n").filter((l) => l.startsWith("| ❌ error |")).length;
      const findingsShown = rowsShown;
      const shiftRowsShown = md.split("\n").filter((l) => /^\| `svc-/.test(l)).length;
      const left = (shown: number, total: number, noun: string) =>
        shown === total ? null : shown === 0 ? `all ${total} ${noun}` : `${total - shown} of ${total} ${noun}`;
      const expected = [
        left(hostsShown, 120, "changed hosts"),
        left(shiftRowsShown, 120, "traffic-shift rows"),
        left(findingsShown, 60, "findings"),
      ].filter((x): x is string => x !== null);
      assert.ok(expected.length > 0, "the report should not have fit");
      for (const e of expected) assert.ok(md.includes(e), `note should say "${e}"`);

      assert.equal((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length);
      assert.equal((md.match(/^```/gm) ?? []).length % 2, 0);
      for (const b of mermaidBlocks(md)) assert.deepEqual(mermaidProblems(b), []);
    });
  }

  it("keeps new errors before host details when space is short", () => {
    const md = renderPlanMarkdown(bigReport(), { maxChars: 12000 });
    assert.ok(md.includes("subset v2 of svc-59 is not defined"), "every new finding fits in 12000 characters and comes first");
    assert.ok((md.match(/^#### /gm) ?? []).length < 120);
  });
});

describe("the Mermaid checker used above", () => {
  const bad: [string, string][] = [
    ["a raw quote inside a label", 'flowchart LR\n  n1["a"b"]'],
    ["a link to undeclared nodes", "flowchart LR\n  n1 --> n2"],
    ["an unclosed subgraph", 'flowchart LR\n  subgraph s ["x"]\n  n1["a"]'],
    ["HTML in a label", 'flowchart LR\n  n1["<b>x</b>"]'],
    ["a directive in a label", 'flowchart LR\n  n1["%%{init: {}}%%"]'],
    ["a stray end", "flowchart LR\n  end"],
  ];
  for (const [what, source] of bad) {
    it(`rejects ${what}`, () => assert.notDeepEqual(mermaidProblems(source), []));
  }
});

describe("renderRoutesMarkdown", () => {
  it("renders the head routing table as in the golden file", () => {
    assertGolden("routes.md", renderRoutesMarkdown(headTable));
  });
});

describe("renderTraceMarkdown", () => {
  it("renders a routed request as in the golden file", () => {
    assertGolden("trace.md", renderTraceMarkdown(traceFixture));
  });

  it("renders a denied request as in the golden file", () => {
    assertGolden("trace-denied.md", renderTraceMarkdown(deniedTraceFixture));
  });

  it("says why nothing was routed", () => {
    const md = renderTraceMarkdown({
      ...traceFixture,
      matchedBy: null,
      backends: [],
      timeout: null,
      retries: null,
      mirror: [],
      noRoute: "no rule of VirtualService default/reviews matches (404)",
    });
    assert.match(md, /\*\*no route\*\*: no rule of VirtualService default\/reviews matches \(404\)/);
  });
});

describe("plan markdown: a change to the check configuration", () => {
  it("says base's rules judged the change and previews the new rules' findings", () => {
    const r = planFixture();
    const [added] = r.newFindings;
    const md = renderPlanMarkdown({ ...r, suppressed: 2, rulesChange: { files: ["meshplan.yaml"], wouldAdd: [], wouldRemove: [added!] } });
    assert.match(md, /### Check configuration changed/);
    assert.match(md, /`meshplan\.yaml` change in this pull request\. It is checked with the rules of `main`/);
    assert.match(md, /\*\*1 finding fewer\*\*/);
    assert.match(md, /2 findings silenced by meshplan\.yaml/);
  });
  it("shows no such section when the rules did not change", () => {
    assert.doesNotMatch(renderPlanMarkdown(planFixture()), /Check configuration changed/);
  });
});
