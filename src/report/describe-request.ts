import type { BackendRef } from "../routing/diff.js";
import type { TraceResult } from "../routing/trace-types.js";
import { emptyPolicies } from "../routing/types.js";
import { labels } from "./describe-match.js";
import { describePolicies } from "./describe-policy.js";
import { attachmentLabel } from "./describe-route.js";

/** The traced request as a URL line: `GET http://reviews.default.svc.cluster.local:9080/api?x=1`. */
export function requestLine(r: TraceResult): string {
  const q = new URLSearchParams(r.request.query).toString();
  const port = r.request.port !== null ? `:${r.request.port}` : "";
  return `${r.request.method} ${r.request.scheme}://${r.request.resolvedHost}${port}${r.request.path}${q ? `?${q}` : ""}`;
}

/** Who sends it and what else it carries: `from default/bookinfo-productpage · headers end-user: jason`. */
export function callerLine(r: TraceResult): string {
  const req = r.request;
  const parts = [req.from ? `from ${req.from.namespace}/${req.from.serviceAccount}` : "from an unknown caller"];
  if (Object.keys(req.sourceLabels).length) parts.push(`labels ${labels(req.sourceLabels)}`);
  if (req.attachment !== "mesh") parts.push(`through ${attachmentLabel(req.attachment)}`);
  const headers = Object.entries(req.headers);
  if (headers.length) parts.push(`headers ${headers.map(([k, v]) => `${k}: ${v}`).join(", ")}`);
  return parts.join(" · ");
}

export function objectName(r: { namespace: string | null; name: string }): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/** The policies that applied to the traced request, as `[label, value]` pairs: `["timeout", "5s"]`. */
export function tracePolicies(r: TraceResult, nameBackend: (b: BackendRef) => string): [string, string][] {
  const applied = { ...emptyPolicies(), timeout: r.timeout, retries: r.retries, fault: r.fault, mirror: r.mirror };
  return describePolicies(applied, nameBackend).map((p) => {
    const i = p.indexOf(" ");
    return [p.slice(0, i), p.slice(i + 1)];
  });
}
