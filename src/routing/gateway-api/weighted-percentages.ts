/**
 * Relative weights -> percentages that sum to exactly 100. A share that two
 * decimals express exactly stays exact (weight 15 of 1000 is 1.5%, 1 of 8 is
 * 12.5%); otherwise whole percentages by the largest remainder method (1:1:1
 * is 34/33/33), with more decimals, up to 4, only where a positive weight
 * would otherwise round away to nothing.
 */
export function weightedPercentages(weights: readonly number[]): number[] {
  const positive = weights.map((w) => Math.max(0, w));
  const total = positive.reduce((sum, w) => sum + w, 0);
  if (total <= 0) return weights.map(() => 0);
  for (let decimals = 0; decimals <= 2; decimals++) {
    const scale = 10 ** decimals;
    const units = positive.map((w) => (w * 100 * scale) / total);
    if (units.every(Number.isInteger)) return units.map((u) => u / scale);
  }
  for (let decimals = 0; ; decimals++) {
    const shares = apportion(positive, total, 10 ** decimals);
    const lost = shares.some((s, i) => s === 0 && (positive[i] ?? 0) > 0);
    if (!lost || decimals === 4) return shares;
  }
}

function apportion(weights: readonly number[], total: number, scale: number): number[] {
  const units = 100 * scale;
  const exact = weights.map((w) => (w / total) * units);
  const floors = exact.map(Math.floor);
  let left = units - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, rem: e - Math.floor(e) }))
    .filter(({ i }) => (weights[i] ?? 0) > 0)
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  return floors.map((f) => f / scale);
}
