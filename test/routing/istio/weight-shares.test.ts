import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { weightShares } from "../../../src/routing/istio/weight-shares.js";

const hundredths = (xs: number[]) => xs.reduce((s, x) => s + Math.round(x * 100), 0);

describe("Istio destination weights as percentages", () => {
  const cases: { weights: (number | undefined)[]; shares: number[] }[] = [
    { weights: [80, 20], shares: [80, 20] },
    { weights: [1, 3], shares: [25, 75] },
    { weights: [1, 1, 1], shares: [33.34, 33.33, 33.33] },
    { weights: [1, 1, 1, 1, 1, 1, 1], shares: [14.29, 14.29, 14.29, 14.29, 14.28, 14.28, 14.28] },
    { weights: [undefined], shares: [100] },
    { weights: [0], shares: [100] },
    { weights: [50, 0, 50], shares: [50, 0, 50] },
    { weights: [undefined, 10], shares: [0, 100] },
    { weights: [0, 0], shares: [0, 0] },
    { weights: [-5, 5], shares: [0, 100] },
  ];
  for (const c of cases) {
    it(`turns [${c.weights.map((w) => w ?? "unset").join(", ")}] into [${c.shares.join(", ")}]`, () => {
      const got = weightShares(c.weights);
      assert.deepEqual(got, c.shares);
      const total = hundredths(got);
      assert.ok(total === 10_000 || total === 0);
    });
  }

  it("always sums to exactly 100.00 when some weight is positive", () => {
    for (let n = 2; n <= 12; n++) {
      for (let seed = 1; seed <= 25; seed++) {
        const weights = Array.from({ length: n }, (_, i) => ((seed * 7919 + i * 104729) % 97) + 1);
        assert.equal(hundredths(weightShares(weights)), 10_000, `weights ${weights.join(",")}`);
      }
    }
  });
});
