/** Reads a secret's value from AWS Secrets Manager (the Lambda deployment keeps GitHub credentials there). */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/**
 * `readSecret` for githubAppCredentials/githubWebhookSecret: the SecretString of
 * the secret an ARN names (a binary secret is decoded as UTF-8). The client is
 * passed in, so it is built once per Lambda container.
 */
export function secretsManagerReader(client: Pick<SecretsManagerClient, "send">): (arn: string) => Promise<string> {
  return async (arn) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (typeof out.SecretString === "string") return out.SecretString;
    if (out.SecretBinary) return new TextDecoder("utf-8").decode(out.SecretBinary);
    return "";
  };
}
