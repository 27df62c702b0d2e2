/**
 * Relative backend weights -> percentages of a rule's traffic that sum to
 * exactly 100 (DESIGN.md), for every API alike: Istio destination weights,
 * Gateway API backendRef weights, SMI TrafficSplit weights (quantities already
 * brought to a common scale), ingress-nginx canary weights.
 *
 * Data planes split by weight / sum; meshplan shows that share to hundredths
 * of a percent, rounded by the largest-remainder method (ties go to the
 * earlier backend) so the shares add up to 100: 1:3 is 25/75, 2:1 is
 * 66.67/33.33, 1:1:1 is 33.34/33.33/33.33. Zero or negative weights get 0;
 * when no weight is positive, nothing routes and every share is 0. Integer
 * weights are divided exactly (bigint), so huge weights do not lose precision.
 */
const UNITS = 10_000n;

export function percentShares(weights: readonly (number | bigint)[]): number[] {
  const exactInts = weights.every((w) => typeof w === "bigint" || Number.isSafeInteger(w));
  const w = weights.map((x) => {
    if (typeof x === "bigint") return x > 0n ? x : 0n;
    if (!Number.isFinite(x) || x <= 0) return 0n;
    // Non-integer weights keep six decimals of precision.
    return exactInts ? BigInt(x) : BigInt(Math.round(x * 1_000_000));
  });
  const total = w.reduce((a, b) => a + b, 0n);
  if (total === 0n) return w.map(() => 0);
  const floors = w.map((x) => (x * UNITS) / total);
  let left = UNITS - floors.reduce((a, b) => a + b, 0n);
  const order = w
    .map((x, i) => ({ i, rem: (x * UNITS) % total }))
    .filter((e) => w[e.i]! > 0n)
    .sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (const e of order) {
    if (left <= 0n) break;
    floors[e.i]! += 1n;
    left -= 1n;
  }
  return floors.map((u) => Number(u) / 100);
}
