import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changedLinesFromPatch } from "../../../src/adapters/github/patch-lines.js";
import { unifiedPatch } from "../../support/github-double/unified-patch.js";

const cases: { name: string; patch: string; lines: number[] }[] = [
  { name: "a modified line is the head line that replaces it", patch: "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c", lines: [2] },
  { name: "counts left out of the header mean one line", patch: "@@ -3 +3 @@\n-weight: 80\n+weight: 20", lines: [3] },
  { name: "a new file changes every line", patch: "@@ -0,0 +1,3 @@\n+a\n+b\n+c", lines: [1, 2, 3] },
  { name: "deleted lines leave nothing on the head side", patch: "@@ -1,3 +1,2 @@\n a\n-b\n c", lines: [] },
  {
    name: "each hunk restarts at its header's head line, whatever context text follows the header",
    patch: "@@ -2,3 +2,4 @@ spec:\n a\n+b\n c\n d\n@@ -20,3 +21,3 @@ metadata:\n x\n-y\n+z\n w",
    lines: [3, 22],
  },
  { name: "`\\ No newline at end of file` belongs to neither side", patch: "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b", lines: [2] },
  { name: "an empty context line whose space was trimmed still counts", patch: "@@ -1,4 +1,4 @@\n a\n\n-c\n+C\n d", lines: [3] },
  { name: "an added line that looks like a hunk header is content", patch: "@@ -1 +1,2 @@\n a\n+@@ -5 +5 @@", lines: [2] },
  { name: "added and removed lines that look like file headers are content", patch: "@@ -1,2 +1,2 @@\n a\n---- b\n++++ b", lines: [2] },
  { name: "an empty patch changes nothing", patch: "", lines: [] },
  { name: "lines keep a carriage return as content", patch: "@@ -1,2 +1,3 @@\n a\r\n+b\r\n c\r", lines: [2] },
];

describe("changedLinesFromPatch", () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual([...changedLinesFromPatch(c.patch)].sort((x, y) => x - y), c.lines);
    });
  }

  it("agrees with the diff it reads: as many lines as additions, and the other head lines are the base's in order", () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const words = ["spec:", "  http:", "  - route:", "    weight: 80", "    weight: 20", "", "metadata:", "  name: reviews"];
    for (let round = 0; round < 300; round++) {
      const base = Array.from({ length: Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]!);
      const head = [...base];
      for (let e = Math.floor(random() * 6); e > 0; e--) {
        const at = Math.floor(random() * (head.length + 1));
        const kind = random();
        if (kind < 0.4) head.splice(at, 0, `added ${e}`);
        else if (kind < 0.7) head.splice(at, 1);
        else head[at] = `changed ${e}`;
      }
      const before = base.map((l) => `${l}\n`).join("");
      const after = head.map((l) => `${l}\n`).join("");
      const { patch, additions } = unifiedPatch(before, after);
      const changed = changedLinesFromPatch(patch);
      assert.equal(changed.size, additions, patch);
      const kept = head.filter((_, i) => !changed.has(i + 1));
      let j = 0;
      for (const line of base) if (j < kept.length && kept[j] === line) j++;
      assert.equal(j, kept.length, `unchanged head lines are not base lines in order:\n${patch}`);
    }
  });
});
