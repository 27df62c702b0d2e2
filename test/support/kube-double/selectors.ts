/**
 * Label and field selectors as LIST accepts them (API conventions, "Label
 * selector and field selector"; labels.Parse syntax: `=`, `==`, `!=`, `in`,
 * `notin`, `key`, `!key`, comma-separated and ANDed).
 */
import { kubeErrors } from "./kube-status.js";

export type Selector = (fields: Record<string, string>) => boolean;

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

export function parseLabelSelector(raw: string | undefined): Selector {
  if (!raw) return () => true;
  const tests = splitTopLevel(raw).map((req): Selector => {
    let m = /^(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)$/.exec(req);
    if (m) {
      const [, not, key] = m;
      return (l) => (key! in l) !== (not === "!");
    }
    m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)\s*(==|=|!=)\s*([-A-Za-z0-9_.]*)$/.exec(req);
    if (m) {
      const [, key, op, value] = m;
      return op === "!=" ? (l) => l[key!] !== value : (l) => l[key!] === value;
    }
    m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const [, key, op, list] = m;
      const values = list!.split(",").map((v) => v.trim());
      return op === "in" ? (l) => key! in l && values.includes(l[key!]!) : (l) => !(key! in l) || !values.includes(l[key!]!);
    }
    throw kubeErrors.badRequest(`unable to parse requirement: ${JSON.stringify(req)}: found '${req}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (l) => tests.every((t) => t(l));
}

/** Field selectors every resource supports: `metadata.name` and `metadata.namespace`. */
export function parseFieldSelector(raw: string | undefined): Selector {
  if (!raw) return () => true;
  const tests = splitTopLevel(raw).map((req): Selector => {
    const m = /^([A-Za-z0-9.]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw kubeErrors.badRequest(`invalid selector: '${raw}'; can't understand '${req}'`);
    const [, field, op, value] = m;
    if (field !== "metadata.name" && field !== "metadata.namespace") throw kubeErrors.badRequest(`field label not supported: ${field}`);
    return op === "!=" ? (f) => f[field] !== value : (f) => f[field] === value;
  });
  return (f) => tests.every((t) => t(f));
}
