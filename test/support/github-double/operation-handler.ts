/** How the double's operations are written: one handler per OpenAPI operationId. */
import type { AppRecord, DoubleState, InstallationRecord, RepoRecord } from "./double-state.js";
import type { ContractOperation } from "./openapi-contract.js";
import type { operations } from "@octokit/openapi-types";

/** The request body GitHub's description defines for an operation (types from @octokit/openapi-types). */
export type RequestBody<Id extends keyof operations> = operations[Id] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export interface OperationRequest {
  state: DoubleState;
  operation: ContractOperation;
  /** The double's clock. */
  now: Date;
  /** Origin of the API as the client reached it; URLs in responses start with it. */
  api: string;
  url: URL;
  headers: Headers;
  /** Path parameters in their schema types. */
  params: Record<string, string | number>;
  /** Documented query parameters in their schema types, with defaults. */
  query: Record<string, unknown>;
  /** The JSON body; it has passed the operation's schema, so a handler may read it as `RequestBody<operationId>`. */
  body: unknown;
  /** The installation whose token authenticated the request; null for operations authenticated as the app. */
  installation: InstallationRecord | null;
  /** The app whose JWT authenticated the request (`/app/...` operations), or the installation's app. */
  app: AppRecord | null;
  /** The repository named by `{owner}/{repo}`, reachable by the installation (else the request got 404). */
  repo: RepoRecord | null;
}

export interface OperationResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type OperationHandler = (request: OperationRequest) => OperationResponse | Promise<OperationResponse>;

export type OperationHandlers = Record<string, OperationHandler>;
