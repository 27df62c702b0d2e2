import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppNotInstalledError, createGitHubClient } from "../../../src/adapters/github/github-client.js";
import { createGitHubPort } from "../../../src/adapters/github/github-port.js";
import { appId, appKeyPair, createGitHubDouble, fakeSha, githubFailures, githubFixture, installationId, startGitHubDouble } from "../../support/github-double/index.js";

const head = fakeSha("head");
const start = { name: "meshplan", headSha: head, externalId: "delivery-1", startedAt: new Date(), title: "Planning", summary: "..." };

function createRunRequests(double: { requests: { operationId: string | null; status: number; injected: boolean }[] }) {
  return double.requests.filter((r) => r.operationId === "checks/create").map((r) => `${r.status}${r.injected ? " (injected)" : ""}`);
}

describe("GitHub client: retries", () => {
  it("retries a 502 once and succeeds, with one extra request", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", head, {});
    double.failNext({ method: "POST", path: "/repos/{owner}/{repo}/check-runs", ...githubFailures.serverError(502) });

    const id = await createGitHubPort(octokit).createCheckRun(repo, start);

    assert.equal(typeof id, "number");
    assert.deepEqual(createRunRequests(double), ["502 (injected)", "201"]);
    assert.equal(double.checkRuns("acme", "mesh").length, 1);
    assert.deepEqual(double.violations, []);
  });

  it("gives up on a 5xx after its retries, with GitHub's status on the error", async () => {
    const { double, octokit, repo } = githubFixture({ client: { retry: { retries: 1, retryAfterBaseValue: 5 } } });
    double.addCommit("acme", "mesh", head, {});
    double.failNext({ path: "/repos/{owner}/{repo}/check-runs", times: 5, ...githubFailures.serverError(503) });

    await assert.rejects(createGitHubPort(octokit).createCheckRun(repo, start), { status: 503 });
    assert.deepEqual(createRunRequests(double), ["503 (injected)", "503 (injected)"]);
  });

  it("does not retry a request GitHub refused as invalid", async () => {
    const { double, octokit, repo } = githubFixture();
    // No commit: GitHub answers 422 "No commit found for SHA".

    await assert.rejects(createGitHubPort(octokit).createCheckRun(repo, start), { status: 422 });
    assert.deepEqual(createRunRequests(double), ["422"]);
  });
});

describe("GitHub client: rate limits", () => {
  it("waits the retry-after of a secondary rate limit, then succeeds, with a warning", async () => {
    const { double, octokit, repo, warnings } = githubFixture();
    double.addCommit("acme", "mesh", head, {});
    double.failNext({ method: "POST", path: "/repos/{owner}/{repo}/check-runs", ...githubFailures.secondaryRateLimit(1) });

    const started = performance.now();
    await createGitHubPort(octokit).createCheckRun(repo, start);
    const waited = performance.now() - started;

    // Timers round to the millisecond, so allow a little under the full second.
    assert.ok(waited >= 990, `retried after ${Math.round(waited)} ms, before the 1 s GitHub asked for`);
    assert.deepEqual(createRunRequests(double), ["403 (injected)", "201"]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /secondary rate limit .*POST \/repos\/\{owner\}\/\{repo\}\/check-runs; retrying after 1s/);
    assert.deepEqual(warnings[0]!.fields, { installationId, retryAfter: 1, retryCount: 0 });
  });

  it("waits for the reset of the primary rate limit, then succeeds", async () => {
    // One second of GitHub's counts as 50 ms here.
    const { double, octokit, repo, warnings } = githubFixture({ client: { throttle: { minWriteIntervalMs: 0, retryAfterBaseValue: 50 } } });
    double.addCommit("acme", "mesh", head, {});
    const reset = new Date(Date.now() + 2000);
    double.failNext({ path: "/repos/{owner}/{repo}/check-runs", ...githubFailures.primaryRateLimit(reset) });

    await createGitHubPort(octokit).createCheckRun(repo, start);

    assert.deepEqual(createRunRequests(double), ["403 (injected)", "201"]);
    assert.match(warnings[0]?.message ?? "", /^GitHub rate limit reached/);
    // plugin-throttling waits until one second after x-ratelimit-reset.
    const retryAfter = (warnings[0]?.fields as { retryAfter: number }).retryAfter;
    assert.ok(retryAfter >= 2 && retryAfter <= 3, `retryAfter ${retryAfter}`);
  });

  it("gives up after the configured number of rate-limited retries", async () => {
    const { double, octokit, repo, warnings } = githubFixture({ client: { throttle: { maxRetries: 1, minWriteIntervalMs: 0, retryAfterBaseValue: 1 } } });
    double.addCommit("acme", "mesh", head, {});
    double.failNext({ path: "/repos/{owner}/{repo}/check-runs", times: 3, ...githubFailures.secondaryRateLimit(1, 429) });

    await assert.rejects(createGitHubPort(octokit).createCheckRun(repo, start), { status: 429 });
    assert.deepEqual(createRunRequests(double), ["429 (injected)", "429 (injected)"]);
    assert.deepEqual(
      warnings.map((w) => /retrying|giving up/.exec(w.message)?.[0]),
      ["retrying", "giving up"],
    );
  });
});

describe("GitHub client: app authentication", () => {
  it("creates one installation token and reuses it", async () => {
    const { double, octokit, repo } = githubFixture();
    double.addCommit("acme", "mesh", head, {});
    const port = createGitHubPort(octokit);

    await port.createCheckRun(repo, start);
    await port.listCheckRuns(repo, head, "meshplan");

    assert.deepEqual(
      double.apiRequests().map((r) => r.operationId),
      ["apps/create-installation-access-token", "checks/create", "checks/list-for-ref"],
    );
  });

  it("is refused with 401 when the app signs with a key GitHub does not know", async () => {
    const double = createGitHubDouble();
    double.registerApp({ id: appId, publicKey: appKeyPair().publicKey });
    double.addInstallation({ id: installationId, appId, account: "acme" });
    double.addRepo("acme", "mesh");
    const client = createGitHubClient({ appId, privateKey: appKeyPair("someone else").privateKey, baseUrl: double.baseUrl, fetch: double.fetch });

    await assert.rejects(createGitHubPort(client.forInstallation(installationId)).listCheckRuns({ owner: "acme", repo: "mesh" }, head, "meshplan"), {
      status: 401,
      message: /A JSON web token could not be decoded/,
    });
    assert.deepEqual(
      double.requests.map((r) => `${r.operationId} ${r.status}`),
      ["apps/create-installation-access-token 401"],
    );
    assert.deepEqual(double.violations, []);
  });

  it("recovers when this machine's clock is behind GitHub's, as auth-app corrects for the skew", async () => {
    const skewMs = 15 * 60 * 1000;
    const { double, octokit, repo, warnings } = githubFixture({ double: { now: () => new Date(Date.now() + skewMs) } });
    double.addCommit("acme", "mesh", head, {});

    await createGitHubPort(octokit).createCheckRun(repo, start);

    assert.deepEqual(
      double.apiRequests().map((r) => `${r.operationId} ${r.status}`),
      ["apps/create-installation-access-token 401", "apps/create-installation-access-token 201", "checks/create 201"],
    );
    // GitHub's Date header has whole seconds, so the measured skew is 899 or 900 seconds.
    assert.ok(warnings.some((w) => /time and system time are different by (899|900) seconds/.test(w.message)));
  });

  it("cannot reach a repository of an account the app is not installed on", async () => {
    const { double, octokit } = githubFixture();
    double.addRepo("globex", "mesh");
    double.addCommit("globex", "mesh", head, {});

    await assert.rejects(createGitHubPort(octokit).createCheckRun({ owner: "globex", repo: "mesh" }, start), { status: 404 });
  });

  it("is refused what the installation has no permission for", async () => {
    const { double, octokit, repo } = githubFixture({ permissions: { contents: "read", metadata: "read", checks: "read" } });
    double.addCommit("acme", "mesh", head, { "mesh/a.yaml": "a: 1\n" });
    const port = createGitHubPort(octokit);

    assert.equal((await port.readTree(repo, head)).length, 1);
    await assert.rejects(port.createCheckRun(repo, start), { status: 403, message: /Resource not accessible by integration/ });
  });
});

describe("GitHub client: installation lookup", () => {
  function appClient() {
    const fixture = githubFixture();
    const client = createGitHubClient({ appId, privateKey: appKeyPair().privateKey, baseUrl: fixture.double.baseUrl, fetch: fixture.double.fetch });
    return { ...fixture, client };
  }

  it("finds the installation that reaches a repository, as the app, and asks GitHub once per repository", async () => {
    const { double, client, repo } = appClient();

    const [first, again] = [await client.installationFor(repo), await client.installationFor({ owner: "Acme", repo: "Mesh" })];

    assert.deepEqual([first, again], [installationId, installationId]);
    assert.deepEqual(
      double.apiRequests().map((r) => `${r.method} ${r.path} ${r.status}`),
      ["GET /repos/acme/mesh/installation 200"],
      "one request, with the app's JWT and no installation token",
    );
    assert.deepEqual(double.violations, []);
  });

  it("says the app is not installed on a repository of another account, naming it", async () => {
    const { double, client } = appClient();
    double.addRepo("globex", "mesh");
    const globex = { owner: "globex", repo: "mesh" };

    await assert.rejects(client.installationFor(globex), (err: unknown) => {
      assert.ok(err instanceof AppNotInstalledError);
      assert.match(err.message, /not installed on globex\/mesh/);
      assert.deepEqual(err.repo, globex);
      assert.equal((err.cause as { status?: number }).status, 404);
      return true;
    });
    // A failure is not remembered: once the app is installed, the next call finds it.
    double.addInstallation({ id: 4242, appId, account: "globex" });
    assert.equal(await client.installationFor(globex), 4242);
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub client: where GitHub is", () => {
  it("works against the double over HTTP on 127.0.0.1, following the archive redirect", async () => {
    const running = await startGitHubDouble();
    try {
      const { double } = running;
      double.registerApp({ id: appId, publicKey: appKeyPair().publicKey, slug: "meshplan" });
      double.addInstallation({ id: installationId, appId, account: "acme" });
      double.addRepo("acme", "mesh");
      double.addCommit("acme", "mesh", head, { "mesh/a.yaml": "a: 1\n", "README.md": "# x\n" });
      const client = createGitHubClient({ appId, privateKey: appKeyPair().privateKey, baseUrl: running.url, throttle: { minWriteIntervalMs: 0 } });
      const port = createGitHubPort(client.forInstallation(installationId));

      const files = await port.readTree({ owner: "acme", repo: "mesh" }, head);
      await port.createCheckRun({ owner: "acme", repo: "mesh" }, start);

      assert.deepEqual(
        files.map((f) => f.path),
        ["mesh/a.yaml"],
      );
      assert.equal(double.checkRuns("acme", "mesh").length, 1);
      assert.deepEqual(double.violations, []);
    } finally {
      await running.close();
    }
  });

  it("uses a GitHub Enterprise Server API URL with its /api/v3 path", async () => {
    const { double, octokit, repo } = githubFixture({ double: { baseUrl: "https://github.example.test/api/v3/" } });
    double.addCommit("acme", "mesh", head, { "mesh/a.yaml": "a: 1\n" });

    const files = await createGitHubPort(octokit).readTree(repo, head);

    assert.equal(files.length, 1);
    assert.deepEqual(
      double.apiRequests().map((r) => r.path),
      ["/app/installations/2718/access_tokens", `/repos/acme/mesh/tarball/${head}`],
    );
    assert.deepEqual(double.violations, []);
  });
});
