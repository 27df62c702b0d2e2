/**
 * Gateway API listener/route hostname intersection (HTTPRouteSpec.hostnames,
 * apis/v1): a listener without a hostname accepts every route hostname; a
 * listener `test.example.com` accepts a route `*.example.com` (the request
 * host is then `test.example.com`); a listener `*.example.com` accepts route
 * hostnames it covers (`test.example.com`, `foo.test.example.com`), which
 * stay as the route wrote them. Returns null when they do not intersect.
 */
import { hostMatches } from "../../mesh/hosts.js";

export function hostnameIntersection(listenerHostname: string | null, routeHostname: string): string | null {
  const route = routeHostname.toLowerCase();
  if (!listenerHostname) return route;
  const listener = listenerHostname.toLowerCase();
  if (listener === route) return route;
  if (listener.startsWith("*.") && hostMatches(listener, route)) return route;
  if (route.startsWith("*.") && hostMatches(route, listener)) return listener;
  return null;
}
