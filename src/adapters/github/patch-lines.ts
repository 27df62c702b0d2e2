/**
 * The head-side lines a pull request file's unified-diff `patch` adds or
 * modifies: the lines to annotate. A modified line is a deletion plus an
 * addition, so the added lines are exactly the changed lines of the head.
 *
 * GitHub's patches start at the first `@@` header; a header's counts default
 * to 1 when omitted (`@@ -3 +3 @@`), text after the second `@@` is git's
 * hunk context, and `\ No newline at end of file` belongs to no side.
 */

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function changedLinesFromPatch(patch: string): Set<number> {
  const changed = new Set<number>();
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const raw of patch.split("\n")) {
    const header = hunkHeader.exec(raw);
    if (header && oldLeft <= 0 && newLeft <= 0) {
      oldLeft = header[2] === undefined ? 1 : Number(header[2]);
      newLeft = header[4] === undefined ? 1 : Number(header[4]);
      newLine = Number(header[3]);
      continue;
    }
    if (oldLeft <= 0 && newLeft <= 0) continue;
    const marker = raw[0];
    if (marker === "+") {
      changed.add(newLine);
      newLine++;
      newLeft--;
    } else if (marker === "-") {
      oldLeft--;
    } else if (marker === "\\") {
      continue;
    } else {
      // Context, including an empty line whose leading space was trimmed on the way.
      newLine++;
      newLeft--;
      oldLeft--;
    }
  }
  return changed;
}
