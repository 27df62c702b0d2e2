/**
 * Istio host names (pkg/config/host `Name.Matches`): two names overlap when
 * they are equal, or one is a wildcard (`*`, `*.example.com`) whose suffix the
 * other ends with. Both may be wildcards: `*.example.com` and `*.com` overlap.
 * Unlike `hostMatches` in src/mesh/hosts.ts this is symmetric.
 */
export function hostsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const xWild = x.startsWith("*");
  const yWild = y.startsWith("*");
  if (xWild && yWild) return x.length < y.length ? y.slice(1).endsWith(x.slice(1)) : x.slice(1).endsWith(y.slice(1));
  if (xWild) return y.endsWith(x.slice(1));
  if (yWild) return x.endsWith(y.slice(1));
  return x === y;
}
