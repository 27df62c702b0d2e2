/**
 * Kubernetes Ingress host matching (networking.k8s.io/v1 IngressRule.host):
 * a wildcard `*.foo.com` matches exactly one DNS label in its place, so it
 * matches `bar.foo.com` but neither `baz.bar.foo.com` nor `foo.com`; an
 * absent host (`*` in the routing table) matches every host. This differs
 * from Gateway API and Istio wildcards, which match any number of labels.
 */
export function ingressHostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === "*") return true;
  if (!p.startsWith("*.")) return p === h;
  const suffix = p.slice(1);
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, -suffix.length);
  return label.length > 0 && !label.includes(".");
}
