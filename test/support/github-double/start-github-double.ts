/**
 * The GitHub double over real HTTP, on 127.0.0.1 and a port the system picks,
 * for clients that cannot take a fetch function (or to check the double
 * behaves the same over a socket). Redirects to the codeload stand-in point
 * back at the same server.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createGitHubDouble, type GitHubDouble, type GitHubDoubleOptions } from "./github-double.js";

export interface RunningGitHubDouble {
  /** The API base URL, e.g. `http://127.0.0.1:41234` (plus the path of `baseUrl`, if the double has one). */
  url: string;
  double: GitHubDouble;
  close(): Promise<void>;
}

export async function startGitHubDouble(doubleOrOptions: GitHubDouble | GitHubDoubleOptions = {}): Promise<RunningGitHubDouble> {
  const double = "app" in doubleOrOptions ? doubleOrOptions : createGitHubDouble(doubleOrOptions);
  const apiPath = new URL(double.baseUrl).pathname.replace(/\/+$/, "");
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: double.app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}${apiPath}`,
        double,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive sockets from the client would hold close() open.
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
