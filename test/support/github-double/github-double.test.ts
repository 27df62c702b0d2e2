/**
 * The GitHub double's own behaviour: that its contract checks can fail, and
 * that it answers as GitHub does for what meshplan relies on.
 */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { createGunzip, gunzipSync } from "node:zlib";
import { extract as tarExtract } from "tar-stream";
import { createGitHubClient } from "../../../src/adapters/github/github-client.js";
import { appKeyPair, fakeSha, githubFixture, installationId, openApiContract } from "./index.js";

const reviews = (weight: number) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: ${weight}\n    - destination: {host: reviews, subset: v2}\n      weight: ${100 - weight}\n`;

const head = fakeSha("head");
const annotation = { path: "mesh/reviews.yaml", start_line: 10, end_line: 10, annotation_level: "failure" as const, message: "weights do not sum to 100" };

/** A request outside Octokit's typings, to send what a careless client would. */
function send(octokit: { request(route: string, params: Record<string, unknown>): Promise<{ status: number; data: unknown }> }, route: string, params: Record<string, unknown>) {
  return octokit.request(route, params);
}

function withCommit() {
  const fixture = githubFixture();
  fixture.double.addCommit("acme", "mesh", head, { "mesh/reviews.yaml": reviews(80) });
  return fixture;
}

describe("GitHub double: requests are checked against GitHub's OpenAPI description", () => {
  it("answers an undocumented path with 404 and records it", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(send(octokit, "GET /repos/{owner}/{repo}/check-runz", repo), { status: 404 });

    assert.deepEqual(
      double.violations.map((v) => [v.kind, v.method, v.path, v.status]),
      [["unknown-route", "GET", "/repos/acme/mesh/check-runz", 404]],
    );
  });

  it("answers a method the path does not have with 404", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(send(octokit, "DELETE /repos/{owner}/{repo}/check-runs", repo), { status: 404 });

    assert.equal(double.violations[0]?.kind, "unknown-route");
  });

  it("refuses an annotation with an unknown level with 422 naming the field and value, and stores nothing", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(
      send(octokit, "POST /repos/{owner}/{repo}/check-runs", {
        ...repo,
        name: "meshplan",
        head_sha: head,
        output: { title: "t", summary: "s", annotations: [{ ...annotation, annotation_level: "fatal" }] },
      }),
      (err: { status: number; message: string }) => {
        assert.equal(err.status, 422);
        assert.match(err.message, /^Invalid request\.\n\nFor '\/output\/annotations\/0\/annotation_level', "fatal" is not a member of \["notice","warning","failure"\]/);
        return true;
      },
    );
    assert.deepEqual(double.checkRuns("acme", "mesh"), []);
    assert.deepEqual(
      double.violations.map((v) => [v.kind, v.operationId, v.status]),
      [["invalid-request", "checks/create", 422]],
    );
  });

  it("refuses more than 50 annotations in one request", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(
      send(octokit, "POST /repos/{owner}/{repo}/check-runs", {
        ...repo,
        name: "meshplan",
        head_sha: head,
        output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, () => annotation) },
      }),
      { status: 422, message: /annotations has more than 50 items/ },
    );
    assert.equal(double.violations.length, 1);
  });

  it("refuses a summary over 65,535 characters", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(
      send(octokit, "POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "meshplan", head_sha: head, output: { title: "t", summary: "x".repeat(65_536) } }),
      { status: 422, message: /summary is longer than 65535 characters/ },
    );
    assert.equal(double.violations[0]?.kind, "invalid-request");
  });

  it("refuses a missing required field with GitHub's \"wasn't supplied\"", async () => {
    const { octokit, repo } = withCommit();

    await assert.rejects(send(octokit, "POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "meshplan" }), {
      status: 422,
      message: /"head_sha" wasn't supplied/,
    });
  });

  it("refuses a missing body with GitHub's answer to one", async () => {
    const { octokit, repo } = withCommit();

    await assert.rejects(send(octokit, "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: 1 }), {
      status: 422,
      message: /For 'links\/0\/schema', nil is not an object/,
    });
  });

  it("answers a path parameter of the wrong type with 404", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(send(octokit, "GET /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...repo, check_run_id: "latest" }), { status: 404 });
    assert.match(double.violations[0]?.messages[0] ?? "", /"latest" is not a valid check_run_id/);
  });

  it("accepts a misspelt field as GitHub does, but records that GitHub ignores it", async () => {
    const { double, octokit, repo } = withCommit();

    const { status } = await send(octokit, "POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "meshplan", head_sha: head, externalId: "delivery-1" });

    assert.equal(status, 201);
    assert.equal(double.checkRuns("acme", "mesh")[0]?.externalId, null);
    assert.deepEqual(
      double.violations.map((v) => [v.kind, v.messages]),
      [["ignored-input", ["/externalId is not a field of checks/create; GitHub ignores it."]]],
    );
  });

  it("records an undocumented query parameter", async () => {
    const { double, octokit, repo } = withCommit();

    await send(octokit, "GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: head, checkName: "meshplan" });

    assert.deepEqual(
      double.violations.map((v) => v.kind),
      ["ignored-input"],
    );
    assert.match(double.violations[0]?.messages[0] ?? "", /"checkName" is not a parameter/);
  });

  it("checks the double's own responses too: a check run without its required fields does not pass", () => {
    const contract = openApiContract();
    const create = contract.operations().find((o) => o.operationId === "checks/create")!;

    const problems = contract.checkResponse(create, 201, { id: 1, name: "meshplan" });

    assert.ok(problems.some((p) => /must have required property 'head_sha'/.test(p.message)));
    assert.deepEqual(contract.checkResponse(create, 200, {}), [{ in: "response", at: "", message: "checks/create does not document status 200" }]);
  });
});

describe("GitHub double: rules GitHub documents beyond the schema", () => {
  it("refuses columns on an annotation that spans lines", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(
      send(octokit, "POST /repos/{owner}/{repo}/check-runs", {
        ...repo,
        name: "meshplan",
        head_sha: head,
        output: { title: "t", summary: "s", annotations: [{ ...annotation, end_line: 12, start_column: 3, end_column: 9 }] },
      }),
      (err: { status: number; response: { data: { message: string; errors: { resource: string; field: string; code: string }[] } } }) => {
        assert.equal(err.status, 422);
        assert.equal(err.response.data.message, "Validation Failed");
        assert.deepEqual(
          err.response.data.errors.map((e) => [e.resource, e.field, e.code]),
          [["CheckRun", "annotations", "invalid"]],
        );
        return true;
      },
    );
    assert.equal(double.violations[0]?.kind, "github-rule");
  });

  it("requires a conclusion to complete a run", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(send(octokit, "POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "meshplan", head_sha: head, status: "completed" }), { status: 422 });
    const { data } = await octokit.rest.checks.create({ ...repo, name: "meshplan", head_sha: head });
    await assert.rejects(send(octokit, "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...repo, check_run_id: data.id, status: "completed" }), { status: 422 });

    assert.deepEqual(
      double.violations.map((v) => v.kind),
      ["github-rule", "invalid-request"],
    );
  });

  it("refuses a check run for a commit the repository does not have", async () => {
    const { octokit, repo } = withCommit();
    const unknown = fakeSha("unknown");

    await assert.rejects(send(octokit, "POST /repos/{owner}/{repo}/check-runs", { ...repo, name: "meshplan", head_sha: unknown }), {
      status: 422,
      message: new RegExp(`No commit found for SHA: ${unknown}`),
    });
  });

  it("lets only the app that created a check run update it", async () => {
    const { double, octokit, repo } = withCommit();
    const { data } = await octokit.rest.checks.create({ ...repo, name: "meshplan", head_sha: head });
    double.registerApp({ id: 99, publicKey: appKeyPair("other app").publicKey, slug: "other" });
    double.addInstallation({ id: 100, appId: 99, account: "acme" });
    const other = createGitHubClient({ appId: 99, privateKey: appKeyPair("other app").privateKey, baseUrl: double.baseUrl, fetch: double.fetch }).forInstallation(100);

    await assert.rejects(send(other, "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...repo, check_run_id: data.id, conclusion: "success" }), {
      status: 403,
      message: /can only be modified by the GitHub App that created it/,
    });
  });

  it("appends the annotations of every update, after completion too", async () => {
    const { double, octokit, repo } = withCommit();
    const { data } = await octokit.rest.checks.create({ ...repo, name: "meshplan", head_sha: head, output: { title: "t", summary: "s", annotations: [annotation] } });
    const update = (body: object) => send(octokit, "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...repo, check_run_id: data.id, ...body });

    await update({ conclusion: "failure", output: { title: "t", summary: "s2", annotations: [annotation, annotation] } });
    await update({ output: { title: "t", summary: "s3", annotations: [annotation] } });

    const [run] = double.checkRuns("acme", "mesh");
    assert.equal(run?.annotations.length, 4);
    assert.equal(run?.status, "completed");
    assert.equal(run?.output.summary, "s3");
    const listed = await octokit.paginate(octokit.rest.checks.listAnnotations, { ...repo, check_run_id: data.id });
    assert.equal(listed.length, 4);
    assert.deepEqual(double.violations, []);
  });

  it("refuses a comment body over 65,536 characters", async () => {
    const { double, octokit, repo } = withCommit();
    double.addPullRequest("acme", "mesh", { number: 1, baseSha: head, headSha: head, baseRef: "main", headRef: "x" });

    await assert.rejects(octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: "x".repeat(65_537) }), { status: 422, message: /Body is too long \(maximum is 65536 characters\)/ });
    await octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: "x".repeat(65_536) });
  });

  it("lists only the latest run of each name unless asked for all", async () => {
    const { double, octokit, repo } = withCommit();
    for (const name of ["meshplan", "meshplan", "lint"]) await octokit.rest.checks.create({ ...repo, name, head_sha: head });

    const latest = await octokit.rest.checks.listForRef({ ...repo, ref: head });
    const all = await octokit.rest.checks.listForRef({ ...repo, ref: head, filter: "all", check_name: "meshplan" });

    assert.deepEqual(latest.data.check_runs.map((r) => r.name).sort(), ["lint", "meshplan"]);
    assert.equal(all.data.total_count, 2);
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub double: authentication", () => {
  it("asks for credentials, and refuses a token it did not issue", async () => {
    const { double } = withCommit();
    const url = `${double.baseUrl}/repos/acme/mesh/commits/${head}/check-runs`;

    const anonymous = await double.fetch(url);
    const forged = await double.fetch(url, { headers: { authorization: "token ghs_forged" } });

    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { message: string }).message, "Requires authentication");
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { message: string }).message, "Bad credentials");
  });

  it("refuses an app JWT that lives longer than ten minutes", async () => {
    const { double } = withCommit();
    const { createPrivateKey, sign } = await import("node:crypto");
    const now = Math.floor(Date.now() / 1000);
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat: now - 30, exp: now + 3600, iss: 314159 })}`;
    const jwt = `${unsigned}.${sign("sha256", Buffer.from(unsigned), createPrivateKey(appKeyPair().privateKey)).toString("base64url")}`;

    const response = await double.fetch(`${double.baseUrl}/app/installations/${installationId}/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${jwt}` } });

    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { message: string }).message, "'Expiration time' claim ('exp') is too far in the future");
  });
});

describe("GitHub double: finding an app's installation", () => {
  it("tells the app, by its JWT, which installation reaches a repository", async () => {
    const { double, octokit, repo } = withCommit();

    // auth-app sends the app's JWT for this route by itself, as GitHub requires.
    const { data } = await octokit.rest.apps.getRepoInstallation(repo);

    assert.equal(data.id, installationId);
    assert.equal(data.app_slug, "meshplan");
    assert.equal(data.account && "login" in data.account ? data.account.login : null, "acme");
    assert.equal(data.permissions.contents, "read");
    assert.deepEqual(
      double.apiRequests().map((r) => r.operationId),
      ["apps/get-repo-installation"],
    );
    assert.deepEqual(double.violations, []);
  });

  it("refuses an installation token, and answers 404 where the app is not installed", async () => {
    const { double, octokit } = withCommit();
    double.addRepo("globex", "mesh");
    const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
    const { token: jwt } = (await octokit.auth({ type: "app" })) as { token: string };

    const withToken = await double.fetch(`${double.baseUrl}/repos/acme/mesh/installation`, { headers: { authorization: `token ${token}` } });
    const notInstalled = await double.fetch(`${double.baseUrl}/repos/globex/mesh/installation`, { headers: { authorization: `Bearer ${jwt}` } });
    const noRepository = await double.fetch(`${double.baseUrl}/repos/acme/gone/installation`, { headers: { authorization: `Bearer ${jwt}` } });

    assert.equal(withToken.status, 401);
    assert.equal(((await withToken.json()) as { message: string }).message, "A JSON web token could not be decoded");
    assert.deepEqual([notInstalled.status, noRepository.status], [404, 404]);
    assert.deepEqual(double.violations, []);
  });
});

describe("GitHub double: repository contents", () => {
  it("redirects an archive download to codeload, which serves a tarball under {owner}-{repo}-{shortsha}/ with the commit id", async () => {
    const { double, octokit } = withCommit();
    const { token } = (await octokit.auth({ type: "installation" })) as { token: string };

    const redirect = await double.fetch(`${double.baseUrl}/repos/acme/mesh/tarball/${head}`, { headers: { authorization: `token ${token}` }, redirect: "manual" });
    const location = redirect.headers.get("location") ?? "";
    const withoutToken = await double.fetch(location.replace(/\?.*$/, ""));
    const archive = await double.fetch(location);

    assert.equal(redirect.status, 302);
    assert.match(location, new RegExp(`/_codeload/acme/mesh/legacy\\.tar\\.gz/${head}\\?token=`));
    assert.equal(withoutToken.status, 404);
    assert.equal(archive.headers.get("content-type"), "application/x-gzip");
    const gzipped = Buffer.from(await archive.arrayBuffer());
    const entries: string[] = [];
    const extract = tarExtract();
    Readable.from(gzipped).pipe(createGunzip()).pipe(extract);
    for await (const entry of extract) {
      entries.push(`${entry.header.type} ${entry.header.name}`);
      entry.resume();
    }
    const top = `acme-mesh-${head.slice(0, 7)}`;
    assert.deepEqual(entries, [`directory ${top}/`, `directory ${top}/mesh/`, `file ${top}/mesh/reviews.yaml`]);
    // As `git archive` writes it (and `git get-tar-commit-id` reads it): a pax global header whose comment is the commit id.
    const tar = gunzipSync(gzipped);
    assert.equal(tar.subarray(0, 17).toString(), "pax_global_header");
    assert.equal(String.fromCharCode(tar[156]!), "g");
    assert.equal(tar.subarray(512, 564).toString(), `52 comment=${head}\n`);
  });

  it("computes a pull request's files and patches from its two commits, as git does", async () => {
    const { double, octokit, repo } = githubFixture();
    const base = fakeSha("base");
    double.addCommit("acme", "mesh", base, { "mesh/reviews.yaml": reviews(100), "bin/logo.png": new Uint8Array([0x89, 0, 1]) });
    double.addCommit("acme", "mesh", head, { "mesh/reviews.yaml": reviews(80), "bin/logo.png": new Uint8Array([0x89, 0, 2]) });
    double.addPullRequest("acme", "mesh", { number: 4, baseSha: base, headSha: head, baseRef: "main", headRef: "shift" });

    const { data } = await octokit.rest.pulls.listFiles({ ...repo, pull_number: 4 });

    const yaml = data.find((f) => f.filename === "mesh/reviews.yaml");
    assert.equal(yaml?.status, "modified");
    assert.deepEqual([yaml?.additions, yaml?.deletions, yaml?.changes], [2, 2, 4]);
    // What `git diff` prints for the same change, after its file header.
    assert.equal(
      yaml?.patch,
      [
        "@@ -7,6 +7,6 @@ spec:",
        "   http:",
        "   - route:",
        "     - destination: {host: reviews, subset: v1}",
        "-      weight: 100",
        "+      weight: 80",
        "     - destination: {host: reviews, subset: v2}",
        "-      weight: 0",
        "+      weight: 20",
      ].join("\n"),
    );
    assert.ok(yaml?.sha?.startsWith("ef2ddde"), "the head blob's git id");
    const png = data.find((f) => f.filename === "bin/logo.png");
    assert.equal(png?.patch, undefined, "binary files have no patch");
    assert.deepEqual(double.violations, []);
  });

  it("pages pull request files with GitHub's Link header", async () => {
    const { double, octokit, repo } = githubFixture();
    const base = fakeSha("base");
    double.addCommit("acme", "mesh", base, {});
    double.addCommit("acme", "mesh", head, { "a.yaml": "a\n", "b.yaml": "b\n", "c.yaml": "c\n", "d.yaml": "d\n", "e.yaml": "e\n" });
    double.addPullRequest("acme", "mesh", { number: 4, baseSha: base, headSha: head, baseRef: "main", headRef: "x" });

    const first = await octokit.rest.pulls.listFiles({ ...repo, pull_number: 4, per_page: 2 });
    const second = await octokit.rest.pulls.listFiles({ ...repo, pull_number: 4, per_page: 2, page: 2 });

    const links = (header: string | undefined) => Object.fromEntries((header ?? "").split(", ").map((l) => [/rel="(\w+)"/.exec(l)?.[1], /[?&]page=(\d+)/.exec(l)?.[1]]));
    assert.deepEqual(links(first.headers.link), { next: "2", last: "3" });
    assert.deepEqual(links(second.headers.link), { prev: "1", next: "3", last: "3", first: "1" });
    assert.deepEqual(
      second.data.map((f) => f.filename),
      ["c.yaml", "d.yaml"],
    );
  });
});

describe("GitHub double: deployments and issues", () => {
  it("records deployments and their statuses, marking the previous successful one inactive", async () => {
    const { double, octokit, repo } = withCommit();
    const deploy = async () => {
      const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: "main", environment: "prod-eu", auto_merge: false, required_contexts: [] });
      assert.ok("id" in data);
      await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id, state: "success", environment_url: "https://eu.example.com" });
      return data.id;
    };

    const first = await deploy();
    await deploy();

    const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: first });
    assert.deepEqual(
      statuses.data.map((s) => s.state),
      ["inactive", "success"],
    );
    assert.equal(double.deployments("acme", "mesh")[1]?.sha, head);
    assert.deepEqual(double.violations, []);
  });

  it("opens, finds by label, and closes an issue", async () => {
    const { double, octokit, repo } = withCommit();
    double.addPullRequest("acme", "mesh", { number: 1, baseSha: head, headSha: head, baseRef: "main", headRef: "x" });

    const { data: created } = await octokit.rest.issues.create({ ...repo, title: "Drift on prod-eu", body: "3 objects differ", labels: ["meshplan", "drift:prod-eu"] });
    const found = await octokit.rest.issues.listForRepo({ ...repo, labels: "meshplan,drift:prod-eu" });
    const everything = await octokit.rest.issues.listForRepo({ ...repo });
    await octokit.rest.issues.update({ ...repo, issue_number: created.number, state: "closed", state_reason: "completed" });
    const open = await octokit.rest.issues.listForRepo({ ...repo, labels: "meshplan" });

    assert.equal(created.number, 2, "pull requests and issues share numbers");
    assert.deepEqual(
      found.data.map((i) => i.number),
      [2],
    );
    assert.deepEqual(
      everything.data.map((i) => [i.number, "pull_request" in i && i.pull_request !== undefined]),
      [
        [2, false],
        [1, true],
      ],
    );
    assert.deepEqual(open.data, []);
    assert.equal(double.issues("acme", "mesh")[0]?.stateReason, "completed");
    assert.deepEqual(double.violations, []);
  });

  it("refuses a deployment status description over 140 characters, and a status for a deployment it does not have", async () => {
    const { double, octokit, repo } = withCommit();
    const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: head, environment: "prod-eu", auto_merge: false, required_contexts: [] });
    assert.ok("id" in data);

    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id, state: "in_progress", description: "é".repeat(140) });
    await assert.rejects(octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id, state: "success", description: "x".repeat(141) }), {
      status: 422,
      message: /description is too long \(maximum is 140 characters\)/,
    });
    await assert.rejects(octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id + 1, state: "success" }), { status: 404 });

    assert.deepEqual(
      double.deployments("acme", "mesh")[0]?.statuses.map((s) => s.state),
      ["in_progress"],
    );
    assert.deepEqual(
      double.violations.map((v) => [v.kind, v.operationId, v.status]),
      [["github-rule", "repos/create-deployment-status", 422]],
    );
  });

  it("gives a status the environment of the deployment's previous status, else of the deployment", async () => {
    const { double, octokit, repo } = withCommit();
    const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: head, environment: "prod-eu", auto_merge: false, required_contexts: [] });
    assert.ok("id" in data);

    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id, state: "queued" });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id, state: "in_progress", environment: "prod-eu-2" });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: data.id, state: "success" });

    const [deployment] = double.deployments("acme", "mesh");
    assert.deepEqual(
      deployment?.statuses.map((s) => [s.state, s.environment]),
      [
        ["queued", "prod-eu"],
        ["in_progress", "prod-eu-2"],
        ["success", "prod-eu-2"],
      ],
    );
    assert.deepEqual([deployment?.autoMerge, deployment?.requiredContexts], [false, []]);
    assert.deepEqual(double.violations, []);
  });

  it("refuses an issue body over 65,536 characters", async () => {
    const { double, octokit, repo } = withCommit();

    await assert.rejects(octokit.rest.issues.create({ ...repo, title: "Drift", body: "x".repeat(65_537) }), { status: 422, message: /body is too long \(maximum is 65536 characters\)/ });
    const { data } = await octokit.rest.issues.create({ ...repo, title: "Drift", body: "x".repeat(65_536) });
    await assert.rejects(octokit.rest.issues.update({ ...repo, issue_number: data.number, body: "y".repeat(65_537) }), { status: 422 });

    assert.equal(double.issues("acme", "mesh")[0]?.body?.length, 65_536);
    assert.deepEqual(
      double.violations.map((v) => v.kind),
      ["github-rule", "github-rule"],
    );
  });

  it("lists issues newest first in pages, people's and the app's alike", async () => {
    const { double, octokit, repo } = withCommit();
    const created = new Date("2026-01-05T09:00:00Z");
    for (let i = 0; i < 3; i++) double.addIssue("acme", "mesh", { title: `Drift ${i}`, labels: ["meshplan:drift"], user: "oncall", createdAt: created });
    double.addIssue("acme", "mesh", { title: "Old drift", labels: ["meshplan:drift"], user: "oncall", state: "closed", createdAt: created });

    const first = await octokit.rest.issues.listForRepo({ ...repo, labels: "meshplan:drift", per_page: 2 });
    const second = await octokit.rest.issues.listForRepo({ ...repo, labels: "meshplan:drift", per_page: 2, page: 2 });
    const all = await octokit.rest.issues.listForRepo({ ...repo, labels: "meshplan:drift", state: "all" });

    // Created in the same second: the later number is the newer issue.
    assert.deepEqual([first.data.map((i) => i.number), second.data.map((i) => i.number)], [[3, 2], [1]]);
    assert.deepEqual(
      all.data.map((i) => [i.number, i.state, i.user?.login]),
      [
        [4, "closed", "oncall"],
        [3, "open", "oncall"],
        [2, "open", "oncall"],
        [1, "open", "oncall"],
      ],
    );
    assert.deepEqual(double.violations, []);
  });
});
