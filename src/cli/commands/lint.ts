import { severityRank } from "../../findings.js";
import { MESHPLAN_VERSION } from "../../version.js";
import { checkTree, manifestsOf, rulesFromTree } from "../../jobs/check-tree.js";
import { codeCatalogue } from "../../lint/catalogue.js";
import { renderFindingsJson } from "../../report/json.js";
import { renderFindingsMarkdown } from "../../report/markdown.js";
import { renderSarif } from "../../report/sarif.js";
import { renderFindingsText } from "../../report/text.js";
import { colorOption, formatOption, parseCommand } from "../args.js";
import { readDefaultPack } from "../default-pack.js";
import type { CliIo } from "../io.js";
import { readDiskTree } from "../trees.js";

export const lintHelp = `Usage: meshplan lint [PATH...] [--root DIR] [--format text|markdown|json|sarif]

Checks the mesh manifests under PATH (default: the whole repository) with the
built-in analyzers (docs/rules.md) and the organisational policies in CEL
(docs/policies.md), as configured by meshplan.yaml at the repository root.

Options:
      --root DIR       repository root holding meshplan.yaml and policies (default: .)
  -f, --format FMT     text (default), markdown, json, sarif (SARIF 2.1.0 for GitHub code scanning)
  -q, --quiet          no progress on stderr
      --no-color       no ANSI colour (also NO_COLOR=1)
  -h, --help           this help

Silence one finding on a resource with the annotation
  meshplan.io/ignore: "MP1001: why this is acceptable"

Exit status: 0 no findings at error severity, 1 error findings, 2 usage or input error.`;

export async function lintCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("lint", argv, { root: { type: "string" } });
  if (values.help) {
    io.out(lintHelp);
    return 0;
  }
  const format = formatOption("lint", values.format, ["text", "markdown", "json", "sarif"]);
  const color = colorOption(values) ?? io.color;
  const root = values.root ?? io.cwd;
  const tree = await readDiskTree(root, [], root);
  const rules = rulesFromTree(tree.files, await readDefaultPack());
  const manifests = manifestsOf(tree.files, rules.config.config, positionals);
  io.progress(`checking ${manifests.length} files with ${rules.policies.length} policies`);
  const result = checkTree(manifests, rules, null);
  const findings = result.findings;
  if (format === "sarif") {
    io.out(renderSarif(findings, { catalogue: codeCatalogue(), toolVersion: MESHPLAN_VERSION, extraRules: rules.policyCodes }));
  } else if (format === "json") {
    io.out(renderFindingsJson(findings));
  } else if (format === "markdown") {
    io.out(renderFindingsMarkdown(findings, { suppressed: result.suppressed.length }));
  } else {
    io.out(findings.length ? renderFindingsText(findings, { color }) : "no findings");
    if (result.suppressed.length) io.progress(`${result.suppressed.length} findings silenced by meshplan.yaml or meshplan.io/ignore`);
  }
  return findings.some((f) => severityRank[f.severity] >= severityRank.error) ? 1 : 0;
}
