/**
 * What an Istio HTTPRoute does besides choosing backends (Istio API reference,
 * VirtualService "HTTPRoute"), as pilot translates it for Envoy:
 * - fault `percentage` (or the deprecated integer `percent`) defaults to 0:
 *   a delay or abort without one injects nothing;
 * - `mirrorPercentage` (or the deprecated `mirrorPercent`) defaults to 100,
 *   an explicit 0 disables the mirror; each `mirrors` entry likewise;
 * - `redirectCode` defaults to 301;
 * - `retries.attempts` unset or 0 disables retries. A route without `retries`
 *   or `timeout` keeps null: the mesh defaults apply (retries per
 *   meshConfig.defaultHttpRetryPolicy, no timeout).
 */
import type { HttpRoute, IstioDestination } from "../../manifests/schemas/istio.js";
import type { FaultPolicy, HeaderPolicy, MirrorPolicy, RedirectPolicy, RewritePolicy, RoutePolicies } from "../types.js";

export type MirrorTarget = { service: string; subset: string | null; port: number | null };

/** Resolves a mirror destination; `index` is null for `mirror`, the list index for `mirrors`. */
export type MirrorResolver = (dest: IstioDestination, index: number | null) => MirrorTarget;

export function routePolicies(route: HttpRoute, resolveMirror: MirrorResolver): RoutePolicies {
  return {
    timeout: route.timeout ?? null,
    retries: route.retries
      ? {
          attempts: Math.max(0, route.retries.attempts ?? 0),
          perTryTimeout: route.retries.perTryTimeout ?? null,
          retryOn: route.retries.retryOn ?? null,
        }
      : null,
    fault: faultOf(route.fault),
    mirror: mirrorsOf(route, resolveMirror),
    rewrite: rewriteOf(route.rewrite),
    redirect: redirectOf(route.redirect),
    directResponse: route.directResponse
      ? { status: route.directResponse.status, body: bodyOf(route.directResponse.body) }
      : null,
    headers: headersOf(route.headers),
  };
}

function percentOf(p: { percentage?: { value?: number | undefined } | undefined; percent?: number | undefined }, fallback: number): number {
  const v = p.percentage ? (p.percentage.value ?? 0) : (p.percent ?? fallback);
  return Math.min(100, Math.max(0, v));
}

function faultOf(f: HttpRoute["fault"]): FaultPolicy | null {
  if (!f) return null;
  // Envoy has no exponential delay; pilot drops a delay without fixedDelay.
  const delay = f.delay?.fixedDelay !== undefined ? { fixedDelay: f.delay.fixedDelay, percentage: percentOf(f.delay, 0) } : null;
  const abort = f.abort
    ? { httpStatus: f.abort.httpStatus ?? null, grpcStatus: f.abort.grpcStatus ?? null, percentage: percentOf(f.abort, 0) }
    : null;
  return delay || abort ? { delay, abort } : null;
}

function mirrorsOf(route: HttpRoute, resolve: MirrorResolver): MirrorPolicy[] {
  const out: MirrorPolicy[] = [];
  if (route.mirror) {
    const percentage = Math.min(100, Math.max(0, route.mirrorPercentage ? (route.mirrorPercentage.value ?? 0) : (route.mirrorPercent ?? 100)));
    if (percentage > 0) out.push({ ...resolve(route.mirror, null), percentage });
  }
  (route.mirrors ?? []).forEach((m, i) => {
    if (!m.destination) return;
    const percentage = percentOf(m, 100);
    if (percentage > 0) out.push({ ...resolve(m.destination, i), percentage });
  });
  return out;
}

function rewriteOf(r: HttpRoute["rewrite"]): RewritePolicy | null {
  if (!r) return null;
  const out: RewritePolicy = {};
  if (r.uri !== undefined) out.uri = r.uri;
  if (r.uriRegexRewrite?.match !== undefined) out.uriRegex = { match: r.uriRegexRewrite.match, rewrite: r.uriRegexRewrite.rewrite ?? "" };
  if (r.authority !== undefined) out.authority = r.authority;
  return Object.keys(out).length ? out : null;
}

function redirectOf(r: HttpRoute["redirect"]): RedirectPolicy | null {
  if (!r) return null;
  const out: RedirectPolicy = { statusCode: r.redirectCode ?? 301 };
  if (r.uri !== undefined) out.uri = r.uri;
  if (r.authority !== undefined) out.authority = r.authority;
  if (r.scheme !== undefined) out.scheme = r.scheme;
  if (r.port !== undefined) out.port = r.port;
  return out;
}

function bodyOf(body: { string?: string | undefined; bytes?: string | undefined } | undefined): string | null {
  if (!body) return null;
  if (body.string !== undefined) return body.string;
  if (body.bytes !== undefined) return Buffer.from(body.bytes, "base64").toString("utf8");
  return null;
}

type HeaderOps = NonNullable<NonNullable<HttpRoute["headers"]>["request"]>;

function opsOf(o: HeaderOps | undefined): HeaderPolicy["request"] | undefined {
  if (!o) return undefined;
  const out: NonNullable<HeaderPolicy["request"]> = {};
  if (o.set && Object.keys(o.set).length) out.set = { ...o.set };
  if (o.add && Object.keys(o.add).length) out.add = { ...o.add };
  if (o.remove?.length) out.remove = [...o.remove];
  return Object.keys(out).length ? out : undefined;
}

function headersOf(h: HttpRoute["headers"]): HeaderPolicy | null {
  if (!h) return null;
  const out: HeaderPolicy = {};
  const request = opsOf(h.request);
  const response = opsOf(h.response);
  if (request) out.request = request;
  if (response) out.response = response;
  return Object.keys(out).length ? out : null;
}
