import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { weightedPercentages } from "../../../src/routing/gateway-api/weighted-percentages.js";

describe("weightedPercentages: backend weights become shares that sum to 100", () => {
  const cases: [string, number[], number[]][] = [
    ["a single backend gets 100%", [1], [100]],
    ["90/10 stays 90/10", [90, 10], [90, 10]],
    ["relative weights 1:3 are 25/75", [1, 3], [25, 75]],
    ["1:1:1 rounds by largest remainder to 34/33/33", [1, 1, 1], [34, 33, 33]],
    ["2:1 rounds to 67/33", [2, 1], [67, 33]],
    ["1:7 is exactly 12.5/87.5", [1, 7], [12.5, 87.5]],
    ["weight 15 of 1000 is exactly 1.5%", [985, 15], [98.5, 1.5]],
    ["a 1-in-3001 weight keeps a share instead of rounding to 0", [3000, 1], [99.97, 0.03]],
    ["weight 0 gets 0", [0, 5], [0, 100]],
    ["all zero: nothing routes", [0, 0], [0, 0]],
    ["no weights: nothing", [], []],
  ];
  for (const [name, weights, expected] of cases)
    it(name, () => {
      const shares = weightedPercentages(weights);
      assert.deepEqual(shares, expected);
      if (weights.some((w) => w > 0)) assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 1e-9);
    });
});
