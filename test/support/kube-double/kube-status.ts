/**
 * metav1.Status error bodies as the API server sends them (API conventions,
 * "Response Status Kind"): `kind: Status`, `status: Failure`, a `reason` from
 * the StatusReason list, the HTTP `code`, and `details` naming the object.
 */
import type { JsonObject } from "./json-value.js";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** The resource (plural) for NotFound/AlreadyExists/Conflict, the Kind for Invalid, as the server does. */
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: JsonObject;
  status: "Failure";
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A request the server refuses; the HTTP edge turns it into the Status body. */
export class KubeApiError extends Error {
  override name = "KubeApiError";
  readonly status: StatusBody;
  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
  }
}

/** The qualified resource as messages print it: `services`, `deployments.apps`, `virtualservices.networking.istio.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

const qualified = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
const named = (gr: GroupResource, name: string): StatusDetails => ({ name, ...(gr.group ? { group: gr.group } : {}), kind: gr.resource });

export const kubeErrors = {
  notFound(gr: GroupResource, name: string): KubeApiError {
    return new KubeApiError(404, "NotFound", `${qualified(gr)} "${name}" not found`, named(gr, name));
  },
  /** What the server answers for a path no installed API serves, e.g. a CRD's group before the CRD exists. */
  noRoute(): KubeApiError {
    return new KubeApiError(404, "NotFound", "the server could not find the requested resource", {});
  },
  alreadyExists(gr: GroupResource, name: string): KubeApiError {
    return new KubeApiError(409, "AlreadyExists", `${qualified(gr)} "${name}" already exists`, named(gr, name));
  },
  /** Optimistic concurrency: a stale `metadata.resourceVersion` or precondition. */
  modified(gr: GroupResource, name: string, why = "the object has been modified; please apply your changes to the latest version and try again"): KubeApiError {
    return new KubeApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, named(gr, name));
  },
  invalid(kind: string, group: string, name: string, causes: StatusCause[]): KubeApiError {
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const message = `${kind}${group ? `.${group}` : ""} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(", ")}]`}`;
    return new KubeApiError(422, "Invalid", message, { name, ...(group ? { group } : {}), kind, causes });
  },
  badRequest(message: string): KubeApiError {
    return new KubeApiError(400, "BadRequest", message);
  },
  methodNotSupported(gr: GroupResource, verb: string): KubeApiError {
    return new KubeApiError(405, "MethodNotAllowed", `${verb} is not supported on resources of kind "${qualified(gr)}"`, { group: gr.group, kind: gr.resource });
  },
  unsupportedMediaType(contentType: string, accepted: string[]): KubeApiError {
    return new KubeApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
      { causes: [{ reason: "UnexpectedServerResponse", message: contentType }] },
    );
  },
  notAcceptable(accepted: string[]): KubeApiError {
    return new KubeApiError(406, "NotAcceptable", `only the following media types are accepted: ${accepted.join(", ")}`);
  },
  unauthorized(): KubeApiError {
    return new KubeApiError(401, "Unauthorized", "Unauthorized");
  },
  /** RBAC's refusal of a request without credentials, in the form it takes for non-resource URLs. */
  forbiddenAnonymous(verb: string, path: string): KubeApiError {
    return new KubeApiError(403, "Forbidden", `forbidden: User "system:anonymous" cannot ${verb} path "${path}"`, {});
  },
  tooManyRequests(retryAfterSeconds: number): KubeApiError {
    return new KubeApiError(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds }, { "retry-after": String(retryAfterSeconds) });
  },
  internalError(message = "an error on the server (\"\") has prevented the request from succeeding"): KubeApiError {
    return new KubeApiError(500, "InternalError", message, { causes: [{ reason: "UnexpectedServerResponse", message }] });
  },
  serviceUnavailable(message = "the server is currently unable to handle the request"): KubeApiError {
    return new KubeApiError(503, "ServiceUnavailable", message);
  },
  expired(message: string): KubeApiError {
    return new KubeApiError(410, "Expired", message);
  },
};
