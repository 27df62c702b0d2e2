/**
 * A checker for the subset of Mermaid flowchart syntax meshplan writes
 * (Mermaid flowchart docs: node shapes `[..]`, `([..])`, `{{..}}`, links
 * `-->`, `-->|text|`, `-.->`, `subgraph id [title]` ... `end`, `classDef`,
 * `class`, entity codes `#quot;`). It returns the problems found, so a test
 * names the offending line.
 */

const ID = String.raw`[A-Za-z][A-Za-z0-9_]*`;
/** Quoted text: no raw quote, no HTML, `#` only as the start of an entity code. */
const LABEL = String.raw`"(?:[^"#<>&\x60]|#(?:quot|\d+);)*"`;
const NODE = new RegExp(String.raw`^(${ID})(?:\[${LABEL}\]|\(\[${LABEL}\]\)|\{\{${LABEL}\}\})$`);
const LINK = new RegExp(String.raw`^(${ID}) (?:-->|-->\|${LABEL}\||-\.->) (${ID})$`);
const SUBGRAPH = new RegExp(String.raw`^subgraph (${ID}) \[${LABEL}\]$`);
const CLASS_DEF = new RegExp(String.raw`^classDef (${ID}) [a-z-]+:[^;\s]+(?:,[a-z-]+:[^;,]+)*$`);
const CLASS = new RegExp(String.raw`^class (${ID}(?:,${ID})*) (${ID})$`);

export function mermaidProblems(source: string): string[] {
  const lines = source.split("\n");
  const problems: string[] = [];
  if (lines[0] !== "flowchart LR") problems.push(`first line is ${JSON.stringify(lines[0])}, not a flowchart header`);
  const declared = new Set<string>();
  const used: [string, number][] = [];
  const classes = new Set<string>();
  let depth = 0;
  lines.slice(1).forEach((raw, i) => {
    const n = i + 2;
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = NODE.exec(line))) {
      if (declared.has(m[1]!)) problems.push(`line ${n}: node ${m[1]} declared twice`);
      declared.add(m[1]!);
    } else if ((m = LINK.exec(line))) {
      used.push([m[1]!, n], [m[2]!, n]);
    } else if ((m = SUBGRAPH.exec(line))) {
      depth++;
    } else if (line === "end") {
      if (--depth < 0) problems.push(`line ${n}: end without subgraph`);
    } else if ((m = CLASS_DEF.exec(line))) {
      classes.add(m[1]!);
    } else if ((m = CLASS.exec(line))) {
      for (const id of m[1]!.split(",")) used.push([id, n]);
      if (!classes.has(m[2]!)) problems.push(`line ${n}: class ${m[2]} used before classDef`);
    } else {
      problems.push(`line ${n}: not a statement meshplan writes: ${JSON.stringify(raw)}`);
    }
    if (/^\s*end\s*$/i.test(raw) && line !== "end") problems.push(`line ${n}: "end" used as a name`);
    // Mermaid reads `%%` as a comment at a line start and `%%{...}%%` as a directive anywhere.
    if (raw.includes("%%")) problems.push(`line ${n}: contains %%`);
  });
  if (depth !== 0) problems.push(`${depth} subgraph(s) left open`);
  for (const [id, n] of used) if (!declared.has(id)) problems.push(`line ${n}: ${id} is linked but never declared`);
  return problems;
}
