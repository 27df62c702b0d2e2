/**
 * Repository contents: the tarball archive of a commit
 * (docs.github.com/rest/repos/contents#download-a-repository-archive-tar).
 * Like GitHub, the API answers 302 with a short-lived codeload URL that
 * carries its own token; the archive itself is served by `codeloadResponse`.
 */
import { randomBytes } from "node:crypto";
import { codeloadTarball } from "./codeload-tarball.js";
import type { DoubleState } from "./double-state.js";
import { repoKey, resolveCommit } from "./double-state.js";
import { GitHubError } from "./github-error.js";
import type { OperationHandlers } from "./operation-handler.js";

/** GitHub documents codeload links as expiring "after five minutes". */
const codeloadLinkLifetimeMs = 5 * 60 * 1000;

/** Where the double serves archives, standing in for codeload.github.com (GitHub Enterprise Server uses `/_codeload/` too). */
export const codeloadPrefix = "/_codeload/";

export const repositoryOperations: OperationHandlers = {
  "repos/download-tarball-archive": (request) => {
    const repo = request.repo!;
    const commit = resolveCommit(repo, String(request.params.ref));
    if (!commit) throw GitHubError.notFound(request);
    const token = randomBytes(20).toString("hex");
    request.state.codeloadTokens.set(token, { repoKey: repoKey(repo.owner, repo.name), sha: commit.sha, expiresAt: new Date(request.now.getTime() + codeloadLinkLifetimeMs) });
    const location = new URL(`${codeloadPrefix}${repo.owner}/${repo.name}/legacy.tar.gz/${commit.sha}`, request.api);
    location.searchParams.set("token", token);
    return { status: 302, headers: { location: location.toString() } };
  },
};

/** The codeload side of an archive download: the token in the URL is the only credential it takes. */
export async function codeloadResponse(state: DoubleState, url: URL, now: Date): Promise<Response> {
  const match = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(url.pathname);
  const grant = state.codeloadTokens.get(url.searchParams.get("token") ?? "");
  const notFound = () => new Response("404: Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (!match || !grant || grant.expiresAt <= now) return notFound();
  const [, owner = "", name = "", sha = ""] = match;
  if (grant.repoKey !== repoKey(owner, name) || grant.sha !== sha) return notFound();
  const repo = state.repo(owner, name);
  const commit = repo?.commits.get(sha);
  if (!repo || !commit) return notFound();
  const prefix = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}`;
  const archive = await codeloadTarball({ prefix, sha, entries: commit.entries, committedAt: commit.committedAt });
  return new Response(archive, {
    status: 200,
    headers: {
      "content-type": "application/x-gzip",
      "content-disposition": `attachment; filename=${prefix}.tar.gz`,
      "content-length": String(archive.byteLength),
      etag: `"${sha}"`,
    },
  });
}
