import type { KeyedMatch, RequestMatch, StringMatch } from "../routing/types.js";

/**
 * One rule's matches as people read them: conditions of a block joined with
 * "and", blocks with "or"; `headers[end-user]=jason`, `uri prefix /api`.
 */
export function describeMatch(matches: readonly RequestMatch[]): string {
  if (matches.length === 0) return "any request";
  const blocks = matches.map(conditionsOf);
  if (blocks.some((c) => c.length === 0)) return "any request";
  if (blocks.length === 1) return blocks[0]!.join(" and ");
  return blocks.map((c) => (c.length > 1 ? `(${c.join(" and ")})` : c[0]!)).join(" or ");
}

/** A rule's label: its name when it has one, with what it matches. */
export function describeRule(rule: { name: string | null; matches: readonly RequestMatch[] }): string {
  const m = describeMatch(rule.matches);
  return rule.name ? `${rule.name} (${m})` : m;
}

function conditionsOf(m: RequestMatch): string[] {
  const out: string[] = [];
  if (m.uri) out.push(stringMatch(m.ignoreUriCase ? "uri (any case)" : "uri", m.uri));
  if (m.method) out.push(stringMatch("method", m.method));
  if (m.scheme) out.push(stringMatch("scheme", m.scheme));
  if (m.authority) out.push(stringMatch("authority", m.authority));
  for (const h of m.headers ?? []) out.push(keyed("headers", h));
  for (const q of m.queryParams ?? []) out.push(keyed("query", q));
  if (m.port !== undefined) out.push(`port=${m.port}`);
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) out.push(`source ${labels(m.sourceLabels)}`);
  if (m.sourceNamespace !== undefined) out.push(`source namespace=${quote(m.sourceNamespace)}`);
  if (m.gateways && m.gateways.length > 0) out.push(`gateways=${m.gateways.join(",")}`);
  return out;
}

function stringMatch(subject: string, m: StringMatch): string {
  switch (m.type) {
    case "exact":
      return `${subject}=${quote(m.value)}`;
    case "prefix":
      return `${subject} prefix ${quote(m.value)}`;
    case "pathPrefix":
      return `${subject} path-prefix ${quote(m.value)}`;
    case "regex":
      return `${subject} regex ${quote(m.value)}`;
    case "present":
      return `${subject} present`;
  }
}

function keyed(kind: string, k: KeyedMatch): string {
  const subject = `${kind}[${k.name}]`;
  if (!k.invert) return stringMatch(subject, k.match);
  if (k.match.type === "exact") return `${subject}!=${quote(k.match.value)}`;
  if (k.match.type === "present") return `${subject} absent`;
  return `not ${stringMatch(subject, k.match)}`;
}

/** Label selectors as kubectl writes them: `app=reviews,version=v1`. */
export function labels(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** Values stay bare unless empty or containing spaces, where the boundary would be lost. */
function quote(v: string): string {
  return v === "" || /\s/.test(v) ? JSON.stringify(v) : v;
}
