import type { HostRoutes } from "../routing/types.js";

/** By host, then key, in code-unit order: the same listing on every machine. */
export function sortedHosts(hosts: readonly HostRoutes[]): HostRoutes[] {
  return [...hosts].sort((a, b) => compare(a.host, b.host) || compare(a.key, b.key));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
