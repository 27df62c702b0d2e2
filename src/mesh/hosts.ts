/** Host names: how short names in one resource resolve to fully qualified service hosts. */

export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

export function serviceFqdn(name: string, namespace: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/**
 * Istio's short-name rule (pilot `ResolveShortnameToFQDN`): a host without any
 * dot is `name.<namespace of the referring resource>.svc.<domain>`; a host
 * that contains a dot, or a wildcard, is taken as written. So `reviews` in
 * namespace `default` is `reviews.default.svc.cluster.local`, while
 * `reviews.default` stays `reviews.default` (and matches no Kubernetes service).
 */
export function resolveIstioHost(host: string, namespace: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string {
  if (host === "" || host.startsWith("*") || host.includes(".")) return host.toLowerCase();
  return serviceFqdn(host.toLowerCase(), namespace, clusterDomain);
}

/** Parses `name.namespace.svc.<domain>` back into its parts; null for other hosts. */
export function parseServiceFqdn(
  host: string,
  clusterDomain = DEFAULT_CLUSTER_DOMAIN,
): { name: string; namespace: string } | null {
  const suffix = `.svc.${clusterDomain}`;
  if (!host.endsWith(suffix)) return null;
  const parts = host.slice(0, -suffix.length).split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { name: parts[0], namespace: parts[1] };
}

/**
 * Wildcard host match as Istio and Gateway API use it: `*` matches anything,
 * `*.example.com` matches any host ending in `.example.com` (one or more labels).
 */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === "*") return true;
  if (p.startsWith("*.")) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}
