/**
 * Escaping for GitHub-flavoured markdown: prose, code spans and table cells.
 * GitHub renders check-run summaries and PR comments from the same markdown.
 */

/** Characters GitHub would read as emphasis, HTML, links or strike-through in prose. */
const SPECIAL = /[\\*_<>[\]~|]/g;

/**
 * Prose from a finding or a description: markdown characters are escaped,
 * except inside the `code spans` analyzers write on purpose.
 */
export function markdownText(s: string): string {
  return s
    .replace(/\r?\n/g, " ")
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(SPECIAL, (c) => `\\${c}`)))
    .join("");
}

/** A code span that survives backticks in the value (CommonMark: a longer fence, padded). */
export function code(s: string): string {
  const flat = s.replace(/\r?\n/g, " ");
  if (!flat.includes("`")) return `\`${flat}\``;
  const longest = Math.max(...(flat.match(/`+/g) ?? [""]).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${flat} ${fence}`;
}

/** GitHub tables split on `|` even inside code spans, so a cell escapes every one. */
export function cell(s: string): string {
  return s.replace(/(?<!\\)\|/g, "\\|");
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |\n`;
}

export function tableHead(cells: readonly string[]): string {
  return `${tableRow(cells)}|${cells.map(() => "---").join("|")}|\n`;
}
