import { analyzeTree } from "../../jobs/analyze-tree.js";
import { severityRank } from "../../findings.js";
import { renderRoutesJson } from "../../report/json.js";
import { renderRoutesMarkdown } from "../../report/markdown.js";
import { renderFindingsText, renderRoutesText } from "../../report/text.js";
import { colorOption, formatOption, parseCommand } from "../args.js";
import type { CliIo } from "../io.js";
import { readManifestFiles } from "../trees.js";

export const routesHelp = `Usage: meshplan routes [PATH...] [--host HOST] [--format text|markdown|json]

Prints the effective routing table of the manifests under PATH (default: .):
for every host, its rules in the order they are tried, the backends with their
share of traffic, and the policies (timeout, retries, fault, mirror, rewrite,
redirect) — for Istio, SMI/OSM, Gateway API and Ingress alike.

Options:
      --host TEXT      only hosts whose name contains TEXT
  -f, --format FMT     text (default), markdown, json
  -q, --quiet          no progress or findings on stderr
      --no-color       no ANSI colour (also NO_COLOR=1)
  -h, --help           this help

Findings met while reading (bad YAML, schema errors, missing subsets) go to
stderr. Exit status: 0 ok, 1 error findings, 2 usage or input error.`;

export async function routesCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("routes", argv, { host: { type: "string" } });
  if (values.help) {
    io.out(routesHelp);
    return 0;
  }
  const format = formatOption("routes", values.format, ["text", "markdown", "json"]);
  const color = colorOption(values) ?? io.color;
  const files = await readManifestFiles(io.cwd, positionals);
  io.progress(`read ${files.length} files`);
  const analysis = analyzeTree(files);
  const table = values.host
    ? { ...analysis.table, hosts: analysis.table.hosts.filter((h) => h.host.includes(values.host!)) }
    : analysis.table;
  io.out(format === "json" ? renderRoutesJson(table) : format === "markdown" ? renderRoutesMarkdown(table) : renderRoutesText(table, { color }));
  if (analysis.findings.length) io.progress(`${analysis.findings.length} findings:\n${renderFindingsText(analysis.findings, { color: false })}`);
  return analysis.findings.some((f) => severityRank[f.severity] >= severityRank.error) ? 1 : 0;
}
