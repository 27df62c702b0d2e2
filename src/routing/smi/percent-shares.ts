/**
 * Weights to whole percentages that sum to exactly 100 (DESIGN.md: the
 * weights of a routing rule sum to 100), by the largest remainder method:
 * each share is floor(100 * w / sum), and the points still missing go to the
 * largest remainders, earlier entries first on a tie. Exact integer
 * arithmetic, so 1000:500 is 67:33 and three equal weights are 34:33:33.
 * All weights 0 (or none): every share is 0.
 */
export function percentShares(weights: readonly bigint[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total <= 0n) return weights.map(() => 0);
  const floors = weights.map((w) => (100n * w) / total);
  const remainders = weights.map((w) => (100n * w) % total);
  let missing = 100n - floors.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
  for (const i of order) {
    if (missing <= 0n) break;
    floors[i]! += 1n;
    missing -= 1n;
  }
  return floors.map(Number);
}
