/** Percentages with at most two decimals: `50%`, `33.33%`. */
export function formatWeight(w: number): string {
  return `${Math.round(w * 100) / 100}%`;
}
