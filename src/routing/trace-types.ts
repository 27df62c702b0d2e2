import type { ObjectRef } from "../manifests/types.js";
import type { Labels } from "../mesh/types.js";
import type { CallerIdentity, FaultPolicy, MirrorPolicy, RetryPolicy, RoutingSource } from "./types.js";

/** One request to trace (`meshplan trace`). */
export interface TraceRequest {
  /** As given: a short name resolves in `from.namespace` (else the default namespace). */
  host: string;
  port: number | null;
  /** Path without the query string. */
  path: string;
  /** Query parameters; a repeated name keeps its first value (as Envoy matches it). */
  query: Record<string, string>;
  method: string;
  scheme: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  sourceLabels: Labels;
  from: CallerIdentity | null;
  /** `mesh` (default) or `gateway:ns/name` / `ingress:class` for north-south traffic. */
  attachment: string;
}

export interface TraceBackend {
  service: string;
  subset: string | null;
  port: number | null;
  weight: number;
  /** Present when this share is answered with an error (e.g. HTTP 500 for a backendRef not permitted). */
  unavailable?: string;
}

export interface TraceLocation {
  resource: ObjectRef;
  file: string;
  line: number;
}

/** DESIGN.md contract for `meshplan trace --format json`. */
export interface TraceResult {
  request: TraceRequest & { resolvedHost: string };
  allowed: boolean;
  deniedBy: (TraceLocation & { engine: "istio" | "smi"; summary: string }) | null;
  matchedBy: (TraceLocation & { source: RoutingSource; hostKey: string; rule: string; name: string | null; path: string }) | null;
  backends: TraceBackend[];
  timeout: string | null;
  retries: RetryPolicy | null;
  fault: FaultPolicy | null;
  mirror: MirrorPolicy[];
  /** Why nothing was routed, e.g. "no rule of VirtualService default/reviews matches (404)". */
  noRoute: string | null;
}
