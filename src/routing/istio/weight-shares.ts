/**
 * Turns destination weights into percentages of a rule's traffic.
 *
 * Istio (pilot `route.go`, HTTP and TCP alike): a rule with one destination
 * sends it everything whatever its weight; with several, destinations whose
 * weight is 0 or unset get no cluster at all, and Envoy splits the rest by
 * weight/sum, so weights are relative (1 and 3 are 25% and 75%). When every
 * weight is 0 there is nothing to route to.
 *
 * Shares are rounded to hundredths of a percent by the largest-remainder
 * method so the shares of a rule add up to exactly 100.
 */
export function weightShares(weights: readonly (number | undefined)[]): number[] {
  if (weights.length === 1) return [100];
  const w = weights.map((x) => (x !== undefined && Number.isFinite(x) && x > 0 ? x : 0));
  const sum = w.reduce((a, b) => a + b, 0);
  if (sum === 0) return w.map(() => 0);

  const UNITS = 10_000;
  const floors = w.map((x) => Math.floor((x * UNITS) / sum));
  let left = UNITS - floors.reduce((a, b) => a + b, 0);
  const byRemainder = w
    .map((x, i) => ({ i, rem: (x * UNITS) % sum }))
    .filter((e) => w[e.i]! > 0)
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const e of byRemainder) {
    if (left <= 0) break;
    floors[e.i]! += 1;
    left -= 1;
  }
  return floors.map((u) => u / 100);
}
