import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseQuantity, quantityToNumber, toCommonScale } from "../../../src/routing/smi/parse-quantity.js";

// Kubernetes apimachinery resource.Quantity grammar, as SMI split.smi-spec.io/v1alpha1 weights use it.
describe("parseQuantity", () => {
  const valid: [string | number, bigint, number, number][] = [
    // input, numerator, scale, value
    ["1", 1n, 0, 1],
    ["500m", 500n, 3, 0.5],
    ["0m", 0n, 3, 0],
    ["10m", 10n, 3, 0.01],
    ["1500m", 1500n, 3, 1.5],
    ["1.5", 15n, 1, 1.5],
    [".5", 5n, 1, 0.5],
    ["2.", 2n, 0, 2],
    ["2k", 2000n, 0, 2000],
    ["1.5k", 1500n, 0, 1500],
    ["3M", 3_000_000n, 0, 3_000_000],
    ["1E", 10n ** 18n, 0, 1e18],
    ["250u", 250n, 6, 0.00025],
    ["7n", 7n, 9, 7e-9],
    ["1Ki", 1024n, 0, 1024],
    ["2Mi", 2n * 1024n * 1024n, 0, 2 * 1024 * 1024],
    ["1e3", 1000n, 0, 1000],
    ["5e-1", 5n, 1, 0.5],
    ["1.25E1", 125n, 1, 12.5],
    ["+4", 4n, 0, 4],
    ["-1", -1n, 0, -1],
    [100, 100n, 0, 100],
    [0.5, 5n, 1, 0.5],
  ];
  for (const [input, numerator, scale, value] of valid) {
    it(`reads ${JSON.stringify(input)} as ${value}`, () => {
      const q = parseQuantity(input);
      assert.deepEqual(q, { numerator, scale });
      assert.equal(quantityToNumber(q!), value);
    });
  }

  for (const input of ["", "m", "1.2.3", "1 m", "1mm", "1Ki5", "ten", "1e", "0x10", "1e1001", Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`refuses ${JSON.stringify(String(input))}`, () => {
      assert.equal(parseQuantity(input), null);
    });
  }

  it("puts 10m, 100m and 1500m over one denominator exactly", () => {
    const qs = ["10m", "100m", "1500m"].map((s) => parseQuantity(s)!);
    assert.deepEqual(toCommonScale(qs), [10n, 100n, 1500n]);
  });

  it("puts 1 and 500m over one denominator as 1000 and 500", () => {
    assert.deepEqual(toCommonScale([parseQuantity("1")!, parseQuantity("500m")!]), [1000n, 500n]);
  });
});
