/**
 * Operations a GitHub App calls as itself (authenticated by its JWT):
 * creating an installation access token
 * (docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app),
 * and finding the installation that reaches a repository
 * (docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app):
 * 404 when the app is not installed on the repository's account, as when the
 * repository does not exist.
 */
import { randomBytes } from "node:crypto";
import { githubTime, type Permissions } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers, RequestBody } from "./operation-handler.js";
import { restShapes } from "./rest-shapes.js";

/** Installation tokens expire after one hour. */
const tokenLifetimeMs = 60 * 60 * 1000;

export const appOperations: OperationHandlers = {
  "apps/create-installation-access-token": (request) => {
    const installation = request.state.installations.get(Number(request.params.installation_id));
    if (!installation || installation.appId !== request.app?.id) throw GitHubError.notFound(request);
    const body = (request.body ?? {}) as RequestBody<"apps/create-installation-access-token">;

    let permissions: Permissions = { ...installation.permissions };
    if (body.permissions) {
      const asked = body.permissions as Record<string, "read" | "write">;
      for (const [name, access] of Object.entries(asked)) {
        const granted = installation.permissions[name];
        if (!granted || (access === "write" && granted !== "write")) {
          throw GitHubError.unprocessable(request, "The permissions requested are not granted to this installation.");
        }
      }
      permissions = { ...asked };
    }

    const token = `ghs_${base62(36)}`;
    const expiresAt = new Date(request.now.getTime() + tokenLifetimeMs);
    request.state.tokens.set(token, { installationId: installation.id, expiresAt, permissions });
    return { status: 201, body: { token, expires_at: githubTime(expiresAt), permissions, repository_selection: "all" } };
  },

  "apps/get-repo-installation": (request) => {
    const app = request.app!;
    const repo = request.repo!;
    const installation = [...request.state.installations.values()].find((i) => i.appId === app.id && i.account.toLowerCase() === repo.owner.toLowerCase());
    if (!installation) throw GitHubError.notFound(request);
    return { status: 200, body: restShapes.installation(request.state, app, installation, request.api) };
  },
};

function base62(length: number): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join("");
}
