import type { BackendRef } from "../routing/diff.js";
import type { HostRoutes } from "../routing/types.js";

/** `name.namespace.svc.<cluster domain>`, whatever the cluster domain. */
const SERVICE_FQDN = /^([^.]+)\.([^.]+)\.svc\.[^/]+$/;

export interface BackendNameContext {
  /** Namespace of the host being described: services in it are shown by bare name. */
  namespace: string | null;
  /** Show `:port` (needed when two backends differ only by port). */
  withPort?: boolean;
}

/**
 * The short form people read: `reviews v1` for subset v1 of
 * reviews.default.svc.cluster.local seen from namespace default,
 * `reviews-v2` for a per-version service, `ratings.prod v1` across namespaces.
 * JSON output keeps the full host; this is for text and markdown only.
 */
export function backendName(b: BackendRef, ctx: BackendNameContext): string {
  const m = SERVICE_FQDN.exec(b.service);
  let name = b.service;
  if (m) name = m[2] === ctx.namespace ? m[1]! : `${m[1]}.${m[2]}`;
  if (ctx.withPort && b.port !== null) name += `:${b.port}`;
  return b.subset ? `${name} ${b.subset}` : name;
}

/**
 * A namer for a group of backends shown together (a rule's shares before and
 * after): ports appear only when the same service and subset occur with different ports.
 */
export function backendNamer(group: readonly BackendRef[], namespace: string | null): (b: BackendRef) => string {
  const ports = new Map<string, Set<number | null>>();
  for (const b of group) {
    const k = `${b.service}\u0000${b.subset ?? ""}`;
    const set = ports.get(k) ?? new Set();
    set.add(b.port);
    ports.set(k, set);
  }
  return (b) => {
    const withPort = (ports.get(`${b.service}\u0000${b.subset ?? ""}`)?.size ?? 0) > 1;
    return backendName(b, { namespace, withPort });
  };
}

/** The namespace a host's backends are read relative to: the service's own, else the namespace of the resource that routes it. */
export function hostNamespace(host: string, resourceNamespace: string | null): string | null {
  const m = SERVICE_FQDN.exec(host);
  return m ? m[2]! : resourceNamespace;
}

/** One namer for everything shown about a host, before and after, so the same backend reads the same everywhere. */
export function hostBackendNamer(sides: readonly (HostRoutes | null)[]): (b: BackendRef) => string {
  const group: BackendRef[] = [];
  let host: HostRoutes | null = null;
  for (const side of sides) {
    if (!side) continue;
    host ??= side;
    for (const r of side.rules) group.push(...r.backends, ...r.policies.mirror);
  }
  const resourceNamespace = host?.origins[0]?.resource.namespace ?? host?.rules[0]?.origin.resource.namespace ?? null;
  return backendNamer(group, host ? hostNamespace(host.host, resourceNamespace) : null);
}
