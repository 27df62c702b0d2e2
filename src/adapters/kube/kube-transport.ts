/**
 * One HTTP exchange with the API server through @kubernetes/client-node's own
 * request pipeline: its server configuration, its authentication (token,
 * client certificate, exec and OIDC plugins, refreshed as they expire) and
 * its TLS agent from the kubeconfig. The body comes back as text and is
 * parsed as plain JSON here rather than by the library's typed models, which
 * turn timestamps into Dates and drop fields a built-in kind's model lacks:
 * the port promises objects as the API server sent them.
 *
 * HTTP error statuses are answers, not exceptions; only a request that got no
 * answer throws, as a `KubeTransportError`.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { HttpMethod, ServerConfiguration, createConfiguration } from "@kubernetes/client-node";

export interface KubeRequest {
  method: "GET" | "PATCH" | "DELETE";
  /** From the server root: `/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews`. */
  path: string;
  query?: Record<string, string | undefined>;
  contentType?: string;
  body?: string;
}

export interface KubeResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

/** Why a request got no answer: `connection` (refused, reset, DNS, timeout) may pass; `tls` and `credentials` will not by retrying. */
export type TransportFailure = "connection" | "tls" | "credentials";

export class KubeTransportError extends Error {
  override name = "KubeTransportError";
  constructor(
    message: string,
    readonly failure: TransportFailure,
    /** The system error code when there is one: `ECONNREFUSED`, `CERT_HAS_EXPIRED`, … */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export type KubeSend = (request: KubeRequest) => Promise<KubeResponse>;

// Node's TLS verification codes (OpenSSL's X509_V_ERR_* names) and its own ERR_TLS_* / ERR_SSL_* codes.
const tlsCodes = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/;

/** A sender bound to the kubeconfig's current context; `timeoutMs` bounds each exchange. */
export function kubeTransport(kc: KubeConfig, timeoutMs: number): KubeSend {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  // The server may carry a path prefix (a proxy such as Rancher's); requests append to it.
  const configuration = createConfiguration({ baseServer: new ServerConfiguration(cluster.server.replace(/\/+$/, ""), {}), authMethods: { default: kc } });

  return async (request) => {
    const context = configuration.baseServer.makeRequestContext(request.path, HttpMethod[request.method]);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) context.setQueryParam(name, value);
    context.setHeaderParam("Accept", "application/json");
    if (request.contentType) context.setHeaderParam("Content-Type", request.contentType);
    if (request.body !== undefined) context.setBody(request.body);
    context.setSignal(AbortSignal.timeout(timeoutMs));
    try {
      await configuration.authMethods.default?.applySecurityAuthentication(context);
    } catch (err) {
      throw new KubeTransportError(`cannot obtain credentials: ${firstLine(err)}`, "credentials", undefined);
    }
    try {
      const response = await configuration.httpApi.send(context).toPromise();
      return { status: response.httpStatusCode, headers: response.headers, text: await response.body.text() };
    } catch (err) {
      throw transportError(err, timeoutMs);
    }
  };
}

function transportError(err: unknown, timeoutMs: number): KubeTransportError {
  const e = (typeof err === "object" && err !== null ? err : {}) as { name?: string; code?: string; message?: string };
  if (e.name === "AbortError" || e.name === "TimeoutError") return new KubeTransportError(`no answer within ${timeoutMs} ms`, "connection", "ETIMEDOUT");
  // node-fetch: "request to <url> failed, reason: <system error>"; the reason is what a person can act on.
  const reason = /reason: (.*)$/s.exec(e.message ?? "")?.[1] ?? firstLine(err);
  const code = typeof e.code === "string" ? e.code : undefined;
  return new KubeTransportError(reason.split("\n")[0]!, code && tlsCodes.test(code) ? "tls" : "connection", code);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}
