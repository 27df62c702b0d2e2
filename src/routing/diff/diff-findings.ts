import type { Finding } from "../../findings.js";

export interface FindingsDiff {
  /** On head, not on base. */
  added: Finding[];
  /** On base, gone from head. */
  fixed: Finding[];
  /** On both (the head copy, with its current line). */
  unchanged: Finding[];
}

/**
 * Pairs findings by code + resource + path + message, not by line, which
 * moves with every edit above it. A finding without a resource (a file that
 * did not parse) is identified by its file instead. Identical findings pair
 * one to one, so a second copy of a problem is reported as new.
 */
export function diffFindings(base: readonly Finding[], head: readonly Finding[]): FindingsDiff {
  const open = new Map<string, number[]>();
  base.forEach((f, i) => {
    const k = identity(f);
    const list = open.get(k);
    if (list) list.push(i);
    else open.set(k, [i]);
  });
  const added: Finding[] = [];
  const unchanged: Finding[] = [];
  const matched = new Array<boolean>(base.length).fill(false);
  for (const f of head) {
    const i = open.get(identity(f))?.shift();
    if (i === undefined) added.push(f);
    else {
      matched[i] = true;
      unchanged.push(f);
    }
  }
  const fixed = base.filter((_, i) => !matched[i]);
  return { added, fixed, unchanged };
}

function identity(f: Finding): string {
  const r = f.resource;
  const where = r ? `${r.apiVersion}\u0000${r.kind}\u0000${r.namespace ?? ""}\u0000${r.name}` : `file\u0000${f.file ?? ""}`;
  return `${f.code}\u0001${where}\u0001${f.path ?? ""}\u0001${f.message}`;
}
