import { percentShares } from "../weight-shares.js";

/**
 * Istio destination weights as percentages (pilot `route.go`, HTTP and TCP
 * alike): a rule with one destination sends it everything whatever its
 * weight; with several, destinations whose weight is 0 or unset get no
 * cluster at all and the rest split by weight/sum (see percentShares).
 */
export function weightShares(weights: readonly (number | undefined)[]): number[] {
  if (weights.length === 1) return [100];
  return percentShares(weights.map((x) => x ?? 0));
}
