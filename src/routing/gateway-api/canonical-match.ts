/**
 * A stable, readable text for one request match, used to build rule ids
 * that survive reordering: `pathPrefix:/v2 header:version=exact:two`.
 * Keys are written in a fixed order; header and query conditions are sorted.
 */
import type { KeyedMatch, RequestMatch, StringMatch } from "../types.js";

export function canonicalMatch(match: RequestMatch): string {
  const parts: string[] = [];
  if (match.uri) parts.push(stringMatchText(match.uri));
  if (match.method) parts.push(`method=${stringMatchText(match.method)}`);
  if (match.scheme) parts.push(`scheme=${stringMatchText(match.scheme)}`);
  if (match.authority) parts.push(`authority=${stringMatchText(match.authority)}`);
  for (const h of sortedKeyed(match.headers)) parts.push(`header:${keyedText(h)}`);
  for (const q of sortedKeyed(match.queryParams)) parts.push(`query:${keyedText(q)}`);
  if (match.port !== undefined) parts.push(`port=${match.port}`);
  if (match.sourceNamespace !== undefined) parts.push(`sourceNamespace=${match.sourceNamespace}`);
  if (match.sourceLabels) {
    const labels = Object.entries(match.sourceLabels).sort(([a], [b]) => a.localeCompare(b));
    parts.push(`sourceLabels={${labels.map(([k, v]) => `${k}=${v}`).join(",")}}`);
  }
  if (match.gateways) parts.push(`gateways=${[...match.gateways].sort().join(",")}`);
  if (match.ignoreUriCase) parts.push("ignoreUriCase");
  return parts.length ? parts.join(" ") : "*";
}

function stringMatchText(m: StringMatch): string {
  return m.type === "present" ? "present" : `${m.type}:${m.value}`;
}

function keyedText(k: KeyedMatch): string {
  return `${k.invert ? "!" : ""}${k.name}=${stringMatchText(k.match)}`;
}

function sortedKeyed(list: readonly KeyedMatch[] | undefined): KeyedMatch[] {
  return [...(list ?? [])].sort((a, b) => keyedText(a).localeCompare(keyedText(b)));
}
