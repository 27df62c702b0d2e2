import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { githubAppCredentials } from "../../../src/adapters/secrets/github-app-credentials.js";
import { secretsManagerReader } from "../../../src/adapters/secrets/secrets-manager.js";

const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:meshplan/github-key-AbCdEf";

function recorder(answer: { SecretString?: string; SecretBinary?: Uint8Array }) {
  const sent: unknown[] = [];
  return {
    sent,
    client: {
      send: async (command: unknown) => {
        sent.push(command);
        return answer;
      },
    } as never,
  };
}

describe("Secrets Manager secrets", () => {
  it("asks for the secret the ARN names and returns its string", async () => {
    const r = recorder({ SecretString: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n" });
    const value = await secretsManagerReader(r.client)(arn);
    assert.match(value, /BEGIN PRIVATE KEY/);
    assert.ok(r.sent[0] instanceof GetSecretValueCommand);
    assert.deepEqual((r.sent[0] as GetSecretValueCommand).input, { SecretId: arn });
  });
  it("decodes a binary secret", async () => {
    const r = recorder({ SecretBinary: new TextEncoder().encode("s3cret") });
    assert.equal(await secretsManagerReader(r.client)(arn), "s3cret");
  });
  it("feeds GITHUB_PRIVATE_KEY given as an ARN", async () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
    const r = recorder({ SecretString: pem });
    const creds = await githubAppCredentials({ GITHUB_APP_ID: "42", GITHUB_PRIVATE_KEY: arn }, { readSecret: secretsManagerReader(r.client) });
    assert.equal(creds.privateKey.trim(), pem.trim());
  });
});
