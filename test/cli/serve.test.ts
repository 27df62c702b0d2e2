/**
 * `meshplan serve`: configuration errors, and (integration) the real binary
 * serving GitHub's deliveries in a child process until SIGTERM.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/corpus.js";
import { webhookExample } from "../server/webhook-examples.js";

const secret = "It's a Secret to Everybody";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** A local port nothing listens on: GitHub API calls would fail fast instead of leaving the machine. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("meshplan serve: usage", () => {
  it("--help documents the GitHub App variables", () => {
    const r = runCli(["serve", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: meshplan serve \[--port N\] \[--host H\]/);
    for (const v of ["GITHUB_APP_ID", "GITHUB_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET", "GITHUB_API_URL"]) assert.match(r.stdout, new RegExp(`^  ${v} `, "m"));
  });

  it("names every missing variable and exits 2", () => {
    const r = runCli(["serve", "--port", "0"], { env: { GITHUB_APP_ID: "", GITHUB_PRIVATE_KEY: "", GITHUB_WEBHOOK_SECRET: "" } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /GITHUB_WEBHOOK_SECRET is not set/);
    assert.match(r.stderr, /GITHUB_APP_ID is not set/);
  });

  it("refuses a port that is not one (exit 2)", () => {
    const r = runCli(["serve", "--port", "http"], { env: { GITHUB_APP_ID: "1", GITHUB_PRIVATE_KEY: privateKey, GITHUB_WEBHOOK_SECRET: secret } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port must be a number/);
  });
});

describe("meshplan serve (integration: the binary in a child process)", () => {
  let child: ChildProcess;
  let base = "";
  let stderr = "";
  let exited: Promise<number | null>;

  before(async () => {
    child = spawn(process.execPath, [join(repoRoot, "bin", "meshplan.mjs"), "serve", "--port", "0"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        GITHUB_APP_ID: "123456",
        GITHUB_PRIVATE_KEY: privateKey,
        GITHUB_WEBHOOK_SECRET: secret,
        GITHUB_API_URL: `http://127.0.0.1:${await unusedPort()}`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 30_000);
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        const m = /listening on (http:\/\/\S+)\/webhooks\/github/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
  });

  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("acknowledges a signed ping (202)", async () => {
    const body = JSON.stringify(webhookExample("ping"));
    const res = await fetch(`${base}/webhooks/github`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d-serve", "x-hub-signature-256": await sign(secret, body) },
      body,
    });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { delivery: "d-serve", action: "ack", reason: "ping: the webhook reaches meshplan", enqueued: false });
  });

  it("refuses an unsigned delivery (401)", async () => {
    const res = await fetch(`${base}/webhooks/github`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d-unsigned" },
      body: JSON.stringify(webhookExample("ping")),
    });
    assert.equal(res.status, 401);
  });

  it("answers /healthz (200)", async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });

  it("stops cleanly on SIGTERM (exit 0), never logging the secret or key", async () => {
    child.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /SIGTERM: no more deliveries/);
    assert.ok(!stderr.includes(secret) && !stderr.includes("PRIVATE KEY"));
  });
});
