/**
 * A GitHub double with meshplan's app installed on `acme`, an `acme/mesh`
 * repository, and meshplan's own client for it: what most GitHub tests start from.
 */
import type { Octokit } from "@octokit/rest";
import { createGitHubClient, type GitHubClientOptions } from "../../../src/adapters/github/github-client.js";
import { appKeyPair } from "./app-key-pair.js";
import type { Permissions } from "./double-state.js";
import { createGitHubDouble, type GitHubDouble, type GitHubDoubleOptions } from "./github-double.js";

export const appId = 314159;
export const installationId = 2718;

export interface GitHubFixture {
  double: GitHubDouble;
  octokit: Octokit;
  repo: { owner: string; repo: string };
  /** Warnings the client logged. */
  warnings: { message: string; fields?: object }[];
}

export function githubFixture(
  options: {
    double?: GitHubDoubleOptions;
    client?: Partial<Omit<GitHubClientOptions, "fetch" | "baseUrl">>;
    permissions?: Permissions;
  } = {},
): GitHubFixture {
  const double = createGitHubDouble(options.double);
  double.registerApp({ id: appId, publicKey: appKeyPair().publicKey, slug: "meshplan" });
  double.addInstallation({ id: installationId, appId, account: "acme", ...(options.permissions ? { permissions: options.permissions } : {}) });
  double.addRepo("acme", "mesh");
  const warnings: GitHubFixture["warnings"] = [];
  const client = createGitHubClient({
    appId,
    privateKey: appKeyPair().privateKey,
    baseUrl: double.baseUrl,
    fetch: double.fetch,
    // Small waits, so retries and write spacing do not slow the suite; the rules are the production ones.
    retry: { retryAfterBaseValue: 5 },
    throttle: { minWriteIntervalMs: 0 },
    logger: { warn: (message, fields) => warnings.push({ message, ...(fields ? { fields } : {}) }) },
    ...options.client,
  });
  return { double, octokit: client.forInstallation(installationId), repo: { owner: "acme", repo: "mesh" }, warnings };
}
