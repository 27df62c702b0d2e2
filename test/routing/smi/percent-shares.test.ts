import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { percentShares } from "../../../src/routing/smi/percent-shares.js";

// Weights become whole percentages summing to exactly 100 (largest remainder; ties to the earlier backend).
describe("percentShares", () => {
  const cases: [string, bigint[], number[]][] = [
    ["a single backend gets everything", [1n], [100]],
    ["90:10 stays 90:10", [90n, 10n], [90, 10]],
    ["1000:500 is 67:33 (SMI traffic-split: approximately 33% to foobar-v2)", [1000n, 500n], [67, 33]],
    ["three equal weights are 34:33:33", [1n, 1n, 1n], [34, 33, 33]],
    ["100:900 is 10:90", [100n, 900n], [10, 90]],
    ["10m:100m:1500m is 1:6:93", [10n, 100n, 1500n], [1, 6, 93]],
    ["a zero weight gets nothing", [0n, 100n], [0, 100]],
    ["a tiny weight may round to 0", [1n, 1000n], [0, 100]],
    ["all zero gives nothing to anyone", [0n, 0n], [0, 0]],
    ["no weights, no shares", [], []],
    ["25:75", [25n, 75n], [25, 75]],
    ["1:1:1:1:1:1 shares the remainder by position", [1n, 1n, 1n, 1n, 1n, 1n], [17, 17, 17, 17, 16, 16]],
  ];
  for (const [name, weights, expected] of cases) {
    it(name, () => {
      const shares = percentShares(weights);
      assert.deepEqual(shares, expected);
      if (weights.some((w) => w > 0n)) assert.equal(shares.reduce((a, b) => a + b, 0), 100);
    });
  }
});
