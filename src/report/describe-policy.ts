import type { BackendRef, PolicyName } from "../routing/diff.js";
import type { RoutePolicies } from "../routing/types.js";
import { formatWeight } from "./format-weight.js";

const POLICY_LABELS: Record<PolicyName, string> = {
  timeout: "timeout",
  retries: "retries",
  fault: "fault",
  mirror: "mirror",
  rewrite: "rewrite",
  redirect: "redirect",
  directResponse: "direct response",
  headers: "headers",
};

export function policyLabel(name: PolicyName): string {
  return POLICY_LABELS[name];
}

/** One policy's value in a few words, "none" when unset: `3 attempts, 2s per try, on 5xx`. */
export function describePolicy<K extends PolicyName>(
  name: K,
  value: RoutePolicies[K],
  nameBackend: (b: BackendRef) => string,
): string {
  const p = { [name]: value } as Partial<RoutePolicies>;
  switch (name) {
    case "timeout":
      return p.timeout ?? "none";
    case "retries": {
      const r = p.retries;
      if (!r) return "none";
      const parts = [`${r.attempts} attempt${r.attempts === 1 ? "" : "s"}`];
      if (r.perTryTimeout) parts.push(`${r.perTryTimeout} per try`);
      if (r.retryOn) parts.push(`on ${r.retryOn}`);
      return parts.join(", ");
    }
    case "fault": {
      const f = p.fault;
      const parts: string[] = [];
      if (f?.delay) parts.push(`delay ${f.delay.fixedDelay} for ${formatWeight(f.delay.percentage)}`);
      if (f?.abort) {
        const status = f.abort.httpStatus !== null ? `${f.abort.httpStatus}` : `grpc ${f.abort.grpcStatus ?? "?"}`;
        parts.push(`abort ${status} for ${formatWeight(f.abort.percentage)}`);
      }
      return parts.length ? parts.join("; ") : "none";
    }
    case "mirror": {
      const m = p.mirror ?? [];
      return m.length ? m.map((x) => `${nameBackend(x)} ${formatWeight(x.percentage)}`).join(", ") : "none";
    }
    case "rewrite": {
      const r = p.rewrite;
      const parts: string[] = [];
      if (r?.uri !== undefined) parts.push(`uri ${r.uri}`);
      if (r?.uriRegex) parts.push(`uri regex ${r.uriRegex.match} to ${r.uriRegex.rewrite}`);
      if (r?.authority !== undefined) parts.push(`authority ${r.authority}`);
      return parts.length ? parts.join(", ") : "none";
    }
    case "redirect": {
      const r = p.redirect;
      if (!r) return "none";
      const parts = [`${r.statusCode}`];
      if (r.scheme !== undefined) parts.push(`scheme ${r.scheme}`);
      if (r.authority !== undefined) parts.push(`authority ${r.authority}`);
      if (r.port !== undefined) parts.push(`port ${r.port}`);
      if (r.uri !== undefined) parts.push(`uri ${r.uri}`);
      return parts.join(", ");
    }
    case "directResponse": {
      const d = p.directResponse;
      if (!d) return "none";
      if (d.body === null) return `${d.status}`;
      const body = d.body.length > 40 ? `${d.body.slice(0, 39)}…` : d.body;
      return `${d.status} ${JSON.stringify(body)}`;
    }
    case "headers": {
      const h = p.headers;
      const parts: string[] = [];
      for (const side of ["request", "response"] as const) {
        const ops = h?.[side];
        if (!ops) continue;
        const words: string[] = [];
        if (ops.set && Object.keys(ops.set).length) words.push(`set ${pairs(ops.set)}`);
        if (ops.add && Object.keys(ops.add).length) words.push(`add ${pairs(ops.add)}`);
        if (ops.remove && ops.remove.length) words.push(`remove ${ops.remove.join(",")}`);
        if (words.length) parts.push(`${side} ${words.join(", ")}`);
      }
      return parts.length ? parts.join("; ") : "none";
    }
  }
  return "none";
}

/** The policies a rule sets, in a fixed order; empty when it sets none. */
export function describePolicies(p: RoutePolicies, nameBackend: (b: BackendRef) => string): string[] {
  const out: string[] = [];
  for (const name of Object.keys(POLICY_LABELS) as PolicyName[]) {
    const text = describePolicy(name, p[name], nameBackend);
    if (text !== "none") out.push(`${policyLabel(name)} ${text}`);
  }
  return out;
}

function pairs(m: Record<string, string>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}
