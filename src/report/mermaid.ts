import { isCatchAll, type BackendRef, type HostDiff } from "../routing/diff.js";
import type { HostRoutes } from "../routing/types.js";
import { hostBackendNamer } from "./backend-name.js";
import { describeRule } from "./describe-match.js";
import { attachmentLabel } from "./describe-route.js";
import { formatWeight } from "./format-weight.js";

/** Beyond this many rules a side is cut short: GitHub renders at most 500 edges per diagram. */
const MAX_RULES_PER_SIDE = 25;
const MAX_LABEL = 80;

/**
 * A Mermaid flowchart of one changed host, before and after: client -> host
 * -> rules (when there is more than a catch-all) -> backends, edges labelled
 * with shares. Node ids are generated (`n0`, `n1`, ...) and every label is
 * quoted and entity-escaped, so any host name or header value renders.
 */
export function hostFlowchart(d: HostDiff): string {
  let next = 1;
  const id = () => `n${next++}`;
  const name = hostBackendNamer([d.after, d.before]);
  const lines = ["flowchart LR", `  n0(["${text(d.attachment === "mesh" ? "mesh client" : attachmentLabel(d.attachment))}"])`];
  const clientEdges: string[] = [];
  const classes: { added: string[]; removed: string[] } = { added: [], removed: [] };

  const side = (title: "before" | "after", routes: HostRoutes | null, other: HostRoutes | null) => {
    lines.push(`  subgraph s${title} ["${title}"]`);
    if (!routes) {
      const absent = id();
      lines.push(`    ${absent}(["no such host"])`, "  end");
      clientEdges.push(`  n0 -.-> ${absent}`);
      return;
    }
    const hostId = id();
    lines.push(`    ${hostId}["${text(routes.port !== null ? `${routes.host}:${routes.port}` : routes.host)}"]`);
    clientEdges.push(`  n0 --> ${hostId}`);
    const elsewhere = other ? backendKeys(other) : null;
    const backendIds = new Map<string, string>();
    const backendNode = (b: BackendRef & { unavailable?: string }) => {
      const k = backendKey(b);
      let bid = backendIds.get(k);
      if (!bid) {
        bid = id();
        backendIds.set(k, bid);
        lines.push(`    ${bid}["${text(b.unavailable === undefined ? name(b) : `${name(b)} (unavailable)`)}"]`);
        if (elsewhere && !elsewhere.has(k)) (title === "after" ? classes.added : classes.removed).push(bid);
      }
      return bid;
    };
    const terminal = (from: string, label: string) => {
      const t = id();
      lines.push(`    ${t}(["${text(label)}"])`, `    ${from} --> ${t}`);
    };

    const rules = routes.rules;
    const direct = rules.length === 1 && isCatchAll(rules[0]!, routes);
    rules.slice(0, MAX_RULES_PER_SIDE).forEach((r, i) => {
      let from = hostId;
      if (!direct) {
        from = id();
        lines.push(`    ${from}{{"${text(`rule ${i + 1}: ${describeRule(r)}`)}"}}`, `    ${hostId} --> ${from}`);
      }
      if (r.policies.redirect) terminal(from, `redirect ${r.policies.redirect.statusCode}`);
      else if (r.policies.directResponse) terminal(from, `responds ${r.policies.directResponse.status}`);
      else if (r.backends.length === 0) terminal(from, "no backends (500/503)");
      else for (const b of r.backends) lines.push(`    ${from} -->|"${formatWeight(b.weight)}"| ${backendNode(b)}`);
    });
    if (rules.length > MAX_RULES_PER_SIDE) {
      const more = id();
      lines.push(`    ${more}["${rules.length - MAX_RULES_PER_SIDE} more rules not drawn"]`, `    ${hostId} --> ${more}`);
    }
    if (!rules.some((r) => isCatchAll(r, routes))) {
      const miss = id();
      lines.push(`    ${miss}(["404"])`, `    ${hostId} -->|"no match"| ${miss}`);
    }
    lines.push("  end");
  };

  side("before", d.before, d.after);
  side("after", d.after, d.before);
  lines.push(...clientEdges);
  if (classes.added.length) lines.push("  classDef added stroke:#1a7f37,stroke-width:3px", `  class ${classes.added.join(",")} added`);
  if (classes.removed.length) {
    lines.push("  classDef removed stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5", `  class ${classes.removed.join(",")} removed`);
  }
  return lines.join("\n");
}

function backendKey(b: BackendRef & { unavailable?: string }): string {
  return `${b.service}\u0000${b.subset ?? ""}\u0000${b.port ?? ""}${b.unavailable === undefined ? "" : "\u0000unavailable"}`;
}

function backendKeys(h: HostRoutes): Set<string> {
  return new Set(h.rules.flatMap((r) => r.backends.map(backendKey)));
}

/**
 * A label safe inside Mermaid double quotes: characters the flowchart lexer
 * or the HTML label renderer would act on become entity codes (`#quot;`,
 * `#35;`), which Mermaid decodes when drawing. `%` goes too: Mermaid looks
 * for `%%{...}%%` directives anywhere in the source, labels included.
 */
function text(s: string): string {
  const short = s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
  return short.replace(/\s+/g, " ").replace(/["#&<>`;%]/g, (c) => (c === '"' ? "#quot;" : `#${c.charCodeAt(0)};`));
}
