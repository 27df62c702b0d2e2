/**
 * GitHub's error responses: `{ message, documentation_url, status }`, and for
 * 422 either `Invalid request.` with the schema problems or `Validation Failed`
 * with an `errors` list naming resource, field and code.
 */
import type { OperationRequest } from "./operation-handler.js";

export class GitHubError extends Error {
  override name = "GitHubError";
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly options: {
      headers?: Record<string, string>;
      /** The client broke a rule GitHub documents: recorded as a contract violation. */
      breaksDocumentedRule?: boolean;
    } = {},
  ) {
    super(String(body.message));
  }

  static notFound(request: Pick<OperationRequest, "operation">): GitHubError {
    return new GitHubError(404, errorBody("Not Found", request.operation.docsUrl, 404));
  }

  /** A 422 for a documented rule the JSON schema cannot express. */
  static validationFailed(
    request: Pick<OperationRequest, "operation">,
    errors: { resource: string; field: string; code: string; message?: string }[],
  ): GitHubError {
    return new GitHubError(422, { ...errorBody("Validation Failed", request.operation.docsUrl, 422), errors }, { breaksDocumentedRule: true });
  }

  static unprocessable(request: Pick<OperationRequest, "operation">, message: string): GitHubError {
    return new GitHubError(422, errorBody(message, request.operation.docsUrl, 422), { breaksDocumentedRule: true });
  }

  static forbidden(request: Pick<OperationRequest, "operation">, message: string): GitHubError {
    return new GitHubError(403, errorBody(message, request.operation.docsUrl, 403));
  }
}

export function errorBody(message: string, documentationUrl: string, status: number): Record<string, unknown> {
  return { message, documentation_url: documentationUrl, status: String(status) };
}
