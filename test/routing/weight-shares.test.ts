import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { percentShares } from "../../src/routing/weight-shares.js";

describe("percentShares: relative weights become shares that sum to exactly 100", () => {
  const cases: [string, (number | bigint)[], number[]][] = [
    ["a single backend gets 100%", [1], [100]],
    ["90:10 stays 90/10", [90, 10], [90, 10]],
    ["weights are relative: 1:3 is 25/75", [1, 3], [25, 75]],
    ["2:1 is 66.67/33.33", [2, 1], [66.67, 33.33]],
    ["1000:500 is 66.67/33.33 (SMI traffic-split: approximately 33% to foobar-v2)", [1000n, 500n], [66.67, 33.33]],
    ["1:1:1 rounds by largest remainder, earlier first: 33.34/33.33/33.33", [1, 1, 1], [33.34, 33.33, 33.33]],
    ["1:7 is exactly 12.5/87.5", [1, 7], [12.5, 87.5]],
    ["a 1-in-3001 weight keeps a share", [3000, 1], [99.97, 0.03]],
    ["SMI v1alpha1 quantities 10m:100m:1500m (in milli-units) are 0.62/6.21/93.17", [10n, 100n, 1500n], [0.62, 6.21, 93.17]],
    ["fractional weights (0.5 and 1.5) are relative too", [0.5, 1.5], [25, 75]],
    ["weight 0 gets nothing", [0, 5], [0, 100]],
    ["a negative weight counts as 0", [-5, 5], [0, 100]],
    ["all zero: nothing routes", [0, 0], [0, 0]],
    ["no weights, no shares", [], []],
    ["huge integer weights divide exactly", [2n ** 70n, 2n ** 70n], [50, 50]],
  ];
  for (const [name, weights, expected] of cases) {
    it(name, () => {
      const shares = percentShares(weights);
      assert.deepEqual(shares, expected);
      if (shares.some((s) => s > 0)) assert.equal(Math.round(shares.reduce((a, b) => a + b, 0) * 100), 10_000);
    });
  }
});
