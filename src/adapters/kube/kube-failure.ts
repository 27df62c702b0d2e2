/**
 * API server answers and transport failures as the port's `ClusterFailure`s.
 * Error answers are metav1.Status bodies (API conventions, "Response Status
 * Kind"); a 409 whose causes are `FieldManagerConflict` is server-side
 * apply's refusal to change fields another manager owns (KEP-555), any other
 * 409 (AlreadyExists, an optimistic-concurrency Conflict) is an api-error.
 */
import type { ClusterFailure, FieldConflict } from "../../cluster/cluster-port.js";
import type { KubeResponse, KubeTransportError } from "./kube-transport.js";

interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

interface Status {
  message: string;
  reason?: string;
  causes: StatusCause[];
}

/** The Status in an error answer; a body that is not one (a proxy's HTML page, say) becomes its first line. */
export function statusOf(response: KubeResponse): Status {
  try {
    const body = JSON.parse(response.text) as { kind?: string; message?: unknown; reason?: unknown; details?: { causes?: unknown } };
    if (body && body.kind === "Status") {
      const causes = Array.isArray(body.details?.causes) ? (body.details.causes as StatusCause[]) : [];
      return { message: typeof body.message === "string" ? body.message : `HTTP ${response.status}`, reason: typeof body.reason === "string" ? body.reason : undefined, causes };
    }
  } catch {
    // Not JSON: described below.
  }
  const line = response.text.trim().split("\n")[0]?.slice(0, 200);
  return { message: line ? `HTTP ${response.status}: ${line}` : `HTTP ${response.status}`, causes: [] };
}

/** `conflict with "kubectl-edit" using networking.istio.io/v1` names the manager in quotes (and its API version when it wrote by Update). */
export function fieldConflict(cause: StatusCause): FieldConflict {
  const message = cause.message ?? "";
  const manager = /conflict with "((?:[^"\\]|\\.)*)"/.exec(message)?.[1] ?? message;
  return { manager, field: cause.field ?? "", message };
}

/**
 * The failure an error answer means. `subject` names what was asked for
 * (`VirtualService bookinfo/reviews`), `cluster` the port's cluster.
 */
export function answerFailure(response: KubeResponse, cluster: string, subject: string): ClusterFailure {
  const status = statusOf(response);
  const where = `${subject} in cluster "${cluster}"`;
  const code = response.status;
  const conflicts = status.causes.filter((c) => c.reason === "FieldManagerConflict");
  if (code === 409 && conflicts.length > 0) {
    return {
      reason: "conflict",
      message: `${where}: ${status.message}; other field managers own these fields: change them back, or apply with force to take them over`,
      conflicts: conflicts.map(fieldConflict),
    };
  }
  if (code === 400 || code === 422) {
    const causes = status.causes.map((c) => (c.field && !(c.message ?? "").startsWith(c.field) ? `${c.field}: ${c.message ?? ""}` : (c.message ?? "")));
    return { reason: "invalid", message: `${where}: ${status.message}`, causes: causes.length > 0 ? causes : [status.message] };
  }
  if (code === 401) return { reason: "forbidden", message: `cluster "${cluster}" did not accept the kubeconfig's credentials (401 ${status.message}): renew the token or certificate` };
  if (code === 403) return { reason: "forbidden", message: `${where}: ${status.message}` };
  if (code === 404) return { reason: "not-found", message: `${where}: ${status.message}` };
  return { reason: "api-error", status: code, message: `${where}: ${status.message} (HTTP ${code}${status.reason ? ` ${status.reason}` : ""})` };
}

/** A request that got no answer; `attempts` counts the retries it had. */
export function transportFailure(err: KubeTransportError, cluster: string, server: string, attempts: number): ClusterFailure {
  if (err.failure === "credentials") return { reason: "forbidden", message: `cluster "${cluster}": ${err.message}` };
  const after = attempts > 1 ? ` (after ${attempts} attempts)` : "";
  const what = err.failure === "tls" ? `the TLS connection to ${server} failed verification` : `${server} is unreachable`;
  return { reason: "unreachable", message: `cluster "${cluster}": ${what}: ${err.message}${after}` };
}

/** The failure with every occurrence of the given secrets masked in its texts. */
export function redacted(failure: ClusterFailure, secrets: readonly string[]): ClusterFailure {
  let json = JSON.stringify(failure);
  for (const secret of secrets) json = json.replaceAll(JSON.stringify(secret).slice(1, -1), "[redacted]");
  return JSON.parse(json) as ClusterFailure;
}
