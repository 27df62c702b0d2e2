/** The GitHub App's configuration from the environment: clear errors that name the variable, never its value. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { ConfigurationError, githubAppCredentials, githubWebhookSecret } from "../../../src/adapters/secrets/github-app-credentials.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:meshplan/github-app-AbCdEf";
const env = (over: Record<string, string | undefined> = {}) => ({ GITHUB_APP_ID: "123456", GITHUB_PRIVATE_KEY: pem, GITHUB_WEBHOOK_SECRET: "s3cr3t", ...over });

const failsOn = (variable: string, message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof ConfigurationError, String(e));
  assert.equal(e.variable, variable);
  assert.match(e.message, message);
  return true;
};

describe("githubAppCredentials", () => {
  it("reads the app id, PEM key and API root", async () => {
    assert.deepEqual(await githubAppCredentials(env({ GITHUB_API_URL: "https://github.example.com/api/v3/" })), {
      appId: "123456",
      privateKey: pem.trim(),
      apiUrl: "https://github.example.com/api/v3",
    });
    assert.equal((await githubAppCredentials(env())).apiUrl, undefined, "github.com needs no API root");
  });

  it("names each missing variable", async () => {
    await assert.rejects(githubAppCredentials(env({ GITHUB_APP_ID: undefined })), failsOn("GITHUB_APP_ID", /^GITHUB_APP_ID is not set/));
    await assert.rejects(githubAppCredentials(env({ GITHUB_PRIVATE_KEY: " " })), failsOn("GITHUB_PRIVATE_KEY", /^GITHUB_PRIVATE_KEY is not set/));
    await assert.rejects(githubWebhookSecret(env({ GITHUB_WEBHOOK_SECRET: "" })), failsOn("GITHUB_WEBHOOK_SECRET", /^GITHUB_WEBHOOK_SECRET is not set/));
  });

  it("refuses an app id that is not one, and a key that is not PEM, without echoing the key", async () => {
    await assert.rejects(githubAppCredentials(env({ GITHUB_APP_ID: "meshplan" })), failsOn("GITHUB_APP_ID", /numeric App ID/));
    await assert.rejects(githubAppCredentials(env({ GITHUB_PRIVATE_KEY: "hunter2-key" })), (e: unknown) => {
      failsOn("GITHUB_PRIVATE_KEY", /not a PEM private key/)(e);
      assert.doesNotMatch((e as Error).message, /hunter2/);
      return true;
    });
  });

  it("accepts a PEM key written on one line with \\n escapes", async () => {
    const oneLine = pem.trim().replace(/\n/g, "\\n");
    assert.equal((await githubAppCredentials(env({ GITHUB_PRIVATE_KEY: oneLine }))).privateKey, pem.trim());
  });

  it("refuses an API root that is not an http(s) URL", async () => {
    await assert.rejects(githubAppCredentials(env({ GITHUB_API_URL: "github.example.com" })), failsOn("GITHUB_API_URL", /not a URL/));
  });
});

describe("Secrets Manager ARNs", () => {
  it("says that reading one needs @aws-sdk/client-secrets-manager when no reader is wired", async () => {
    await assert.rejects(githubAppCredentials(env({ GITHUB_PRIVATE_KEY: arn })), failsOn("GITHUB_PRIVATE_KEY", /@aws-sdk\/client-secrets-manager, which is not installed/));
    await assert.rejects(githubWebhookSecret(env({ GITHUB_WEBHOOK_SECRET: arn })), failsOn("GITHUB_WEBHOOK_SECRET", /Secrets Manager/));
  });

  it("reads the key and the secret through the reader the edge wires", async () => {
    const asked: string[] = [];
    const readSecret = async (id: string) => {
      asked.push(id);
      return id.endsWith("AbCdEf") ? pem : "from-secrets-manager";
    };
    const other = arn.replace("AbCdEf", "XyZ");
    assert.equal((await githubAppCredentials(env({ GITHUB_PRIVATE_KEY: arn }), { readSecret })).privateKey, pem.trim());
    assert.equal(await githubWebhookSecret(env({ GITHUB_WEBHOOK_SECRET: other }), { readSecret }), "from-secrets-manager");
    assert.deepEqual(asked, [arn, other]);
  });

  it("reports a secret that cannot be read, keeping the cause", async () => {
    const denied = Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
    await assert.rejects(
      githubWebhookSecret(env({ GITHUB_WEBHOOK_SECRET: arn }), { readSecret: async () => Promise.reject(denied) }),
      (e: unknown) => failsOn("GITHUB_WEBHOOK_SECRET", /could not be read \(AccessDeniedException\)/)(e) && (e as Error).cause === denied,
    );
  });
});
