/**
 * The `patch` GitHub returns for a pull request file: a unified diff of the
 * two blobs without the `diff --git`/`---`/`+++` header, hunks with three
 * lines of context, `@@ -a,b +c,d @@` headers in git's form (a count of 1 is
 * omitted, an empty side is `0,0`), git's default hunk-header context (the
 * nearest earlier line that starts with a letter, `_` or `$`), and
 * `\ No newline at end of file` after a last line without one.
 *
 * Lines are compared with Myers' O(ND) algorithm, as git does by default.
 */

export interface UnifiedPatch {
  patch: string;
  additions: number;
  deletions: number;
}

type Edit = { kind: " " | "-" | "+"; line: string };

const contextLines = 3;
/** git truncates the hunk-header context to this many characters. */
const headerContextWidth = 80;

export function unifiedPatch(before: string, after: string): UnifiedPatch {
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b);
  const additions = edits.filter((e) => e.kind === "+").length;
  const deletions = edits.filter((e) => e.kind === "-").length;
  return { patch: renderHunks(edits, a), additions, deletions };
}

/** Lines with their terminators, so a last line with and without `\n` differ as they do for git. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function diffLines(a: string[], b: string[]): Edit[] {
  // Common prefix and suffix are context whatever the algorithm; leaving them out keeps D small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return slideDown([
    ...a.slice(0, start).map((line) => ({ kind: " " as const, line })),
    ...middle,
    ...a.slice(endA).map((line) => ({ kind: " " as const, line })),
  ]);
}

/** Myers (1986), "An O(ND) Difference Algorithm and Its Variations": greedy forward search, then a walk back through the saved frontiers. */
function myers(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ kind: "+", line }));
  if (m === 0) return a.map((line) => ({ kind: "-", line }));
  // frontiers[d][k + d] = furthest x reached on diagonal k with d edits.
  const frontiers: Int32Array[] = [];
  search: for (let d = 0; d <= n + m; d++) {
    const v = new Int32Array(2 * d + 1);
    const prev = frontiers[d - 1];
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (!prev) x = 0;
      else if (k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!)) x = prev[k + 1 + d - 1]!;
      else x = prev[k - 1 + d - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + d] = x;
      if (x >= n && y >= m) {
        frontiers.push(v);
        break search;
      }
    }
    frontiers.push(v);
  }

  const reversed: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = frontiers.length - 1; d > 0; d--) {
    const prev = frontiers[d - 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[prevK + d - 1]!;
    const snakeStartX = down ? prevX : prevX + 1;
    while (x > snakeStartX) {
      reversed.push({ kind: " ", line: a[x - 1]! });
      x--;
      y--;
    }
    if (down) {
      reversed.push({ kind: "+", line: b[y - 1]! });
      y--;
    } else {
      reversed.push({ kind: "-", line: a[x - 1]! });
      x--;
    }
  }
  while (x > 0 && y > 0) {
    reversed.push({ kind: " ", line: a[x - 1]! });
    x--;
    y--;
  }
  return reversed.reverse();
}

/**
 * Where an inserted or deleted block could sit at several places (`+b` before
 * or after an equal `b`), git places it as late as possible (xdiff's
 * change compaction); GitHub's patches, made by git, do the same.
 */
function slideDown(edits: Edit[]): Edit[] {
  const out = edits.map((e) => ({ ...e }));
  let moved = true;
  while (moved) {
    moved = false;
    for (let i = 0; i < out.length; ) {
      const kind = out[i]!.kind;
      if (kind === " ") {
        i++;
        continue;
      }
      let j = i;
      while (j < out.length && out[j]!.kind === kind) j++;
      const next = out[j];
      const before = out[i - 1];
      // Only a block with unchanged lines on both sides can slide without merging into another change.
      if (next && next.kind === " " && next.line === out[i]!.line && (!before || before.kind === " ")) {
        out[i]!.kind = " ";
        next.kind = kind;
        moved = true;
        i++;
      } else {
        i = j;
      }
    }
  }
  return out;
}

function renderHunks(edits: Edit[], a: string[]): string {
  const changed = edits.flatMap((e, i) => (e.kind === " " ? [] : [i]));
  if (changed.length === 0) return "";
  // Changes closer than twice the context share a hunk, as in diff -U3.
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * contextLines + 1) last[1] = i;
    else groups.push([i, i]);
  }

  // Line numbers before each edit, on both sides.
  const oldBefore = new Int32Array(edits.length + 1);
  const newBefore = new Int32Array(edits.length + 1);
  edits.forEach((e, i) => {
    oldBefore[i + 1] = oldBefore[i]! + (e.kind === "+" ? 0 : 1);
    newBefore[i + 1] = newBefore[i]! + (e.kind === "-" ? 0 : 1);
  });

  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - contextLines);
    const to = Math.min(edits.length, last + contextLines + 1);
    const oldStart = oldBefore[from]! + 1;
    const newStart = newBefore[from]! + 1;
    const oldCount = oldBefore[to]! - oldBefore[from]!;
    const newCount = newBefore[to]! - newBefore[from]!;
    const context = headerContext(a, oldStart - 1);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@${context ? ` ${context}` : ""}`);
    for (const e of edits.slice(from, to)) {
      const text = e.line.endsWith("\n") ? e.line.slice(0, -1) : e.line;
      out.push(`${e.kind}${text}`);
      if (!e.line.endsWith("\n")) out.push("\\ No newline at end of file");
    }
  }
  return out.join("\n");
}

function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** git's default funcname rule: the last line before the hunk that starts with a letter, `_` or `$`. */
function headerContext(a: string[], linesBefore: number): string {
  for (let i = linesBefore - 1; i >= 0; i--) {
    const line = a[i]!.replace(/\r?\n$/, "");
    if (/^[A-Za-z_$]/.test(line)) return line.slice(0, headerContextWidth).trimEnd();
  }
  return "";
}
