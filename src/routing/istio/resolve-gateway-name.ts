/**
 * How a VirtualService names a gateway (pilot `resolveGatewayName`): `mesh`
 * stays `mesh`; `ns/name` is taken as written, with `./name` meaning the
 * VirtualService's namespace; a short `name` is in the VirtualService's
 * namespace; the legacy `name.ns.svc.cluster.local` form is `ns/name`.
 */
export function resolveGatewayName(gateway: string, namespace: string): string {
  if (gateway === "mesh") return gateway;
  const slash = gateway.indexOf("/");
  if (slash >= 0) return gateway.slice(0, slash) === "." ? `${namespace}/${gateway.slice(slash + 1)}` : gateway;
  const dot = gateway.indexOf(".");
  if (dot < 0) return `${namespace}/${gateway}`;
  const name = gateway.slice(0, dot);
  const rest = gateway.slice(dot + 1);
  const nextDot = rest.indexOf(".");
  return `${nextDot < 0 ? rest : rest.slice(0, nextDot)}/${name}`;
}

/** The table attachment for a resolved gateway name: `mesh` or `gateway:ns/name`. */
export function attachmentOf(resolvedGateway: string): string {
  return resolvedGateway === "mesh" ? "mesh" : `gateway:${resolvedGateway}`;
}
