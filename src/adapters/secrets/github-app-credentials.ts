/**
 * The GitHub App's configuration, from an environment object the edge passes
 * in (process.env in Lambda and `meshplan serve`, a literal in tests).
 *
 * `GITHUB_PRIVATE_KEY` and `GITHUB_WEBHOOK_SECRET` hold the value itself or
 * the ARN of an AWS Secrets Manager secret (`arn:aws:secretsmanager:...`).
 * Reading such a secret needs `@aws-sdk/client-secrets-manager`, which this
 * package does not install: the caller may pass `readSecret`, and without it
 * an ARN is a `ConfigurationError` that says so.
 *
 * Errors name the variable at fault and never echo its value.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

export interface GitHubAppCredentials {
  /** The App ID (digits) or its client ID (`Iv…`): GitHub accepts either as the JWT issuer. */
  appId: string;
  /** PEM private key of the app. */
  privateKey: string;
  /** REST API root for GitHub Enterprise Server (`https://HOST/api/v3`); undefined for github.com. */
  apiUrl: string | undefined;
}

export interface CredentialOptions {
  /** Reads the secret string of a Secrets Manager secret. */
  readSecret?: (arn: string) => Promise<string>;
}

export class ConfigurationError extends Error {
  override name = "ConfigurationError";
  constructor(
    message: string,
    readonly variable: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The variables meshplan reads, for help texts. */
export const gitHubAppVariables = {
  GITHUB_APP_ID: "the GitHub App's ID (or client ID)",
  GITHUB_PRIVATE_KEY: "the app's PEM private key, or a Secrets Manager ARN",
  GITHUB_WEBHOOK_SECRET: "the app's webhook secret, or a Secrets Manager ARN",
  GITHUB_API_URL: "GitHub Enterprise Server: https://HOST/api/v3",
} as const;

// Also the aws-cn and aws-us-gov partitions.
const secretsManagerArn = /^arn:aws[a-z-]*:secretsmanager:/;

/** What the worker needs to act as the app: its id, key and API root. */
export async function githubAppCredentials(env: Environment, options: CredentialOptions = {}): Promise<GitHubAppCredentials> {
  const appId = required(env, "GITHUB_APP_ID");
  if (!/^(?:\d+|Iv[0-9A-Za-z.]+)$/.test(appId)) {
    throw new ConfigurationError("GITHUB_APP_ID must be the GitHub App's numeric App ID (or its client ID, Iv…), from the app's settings page", "GITHUB_APP_ID");
  }
  const privateKey = normalisePem(await secretValue(env, "GITHUB_PRIVATE_KEY", options));
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+-----END (?:RSA )?PRIVATE KEY-----/.test(privateKey)) {
    throw new ConfigurationError(
      "GITHUB_PRIVATE_KEY is not a PEM private key: use the whole .pem file GitHub generated for the app, from -----BEGIN to -----END",
      "GITHUB_PRIVATE_KEY",
    );
  }
  return { appId, privateKey, apiUrl: apiUrl(env) };
}

/** What the webhook endpoint needs: only the secret deliveries are signed with. */
export async function githubWebhookSecret(env: Environment, options: CredentialOptions = {}): Promise<string> {
  return secretValue(env, "GITHUB_WEBHOOK_SECRET", options);
}

function required(env: Environment, variable: string): string {
  const value = env[variable]?.trim();
  if (!value) throw new ConfigurationError(`${variable} is not set: ${gitHubAppVariables[variable as keyof typeof gitHubAppVariables] ?? "required"}`, variable);
  return value;
}

async function secretValue(env: Environment, variable: string, options: CredentialOptions): Promise<string> {
  const value = required(env, variable);
  if (!secretsManagerArn.test(value)) return value;
  if (!options.readSecret) {
    throw new ConfigurationError(
      `${variable} names a Secrets Manager secret, but reading it needs @aws-sdk/client-secrets-manager, which is not installed; set ${variable} to the value itself`,
      variable,
    );
  }
  let secret: string;
  try {
    secret = await options.readSecret(value);
  } catch (error) {
    throw new ConfigurationError(`${variable}: the Secrets Manager secret it names could not be read (${(error as Error).name})`, variable, { cause: error });
  }
  if (!secret.trim()) throw new ConfigurationError(`${variable}: the Secrets Manager secret it names is empty`, variable);
  return secret.trim();
}

/** Keys pasted into one-line settings (.env files, consoles) often carry literal `\n`s. */
function normalisePem(value: string): string {
  return value.includes("\\n") && !value.includes("\n") ? value.replace(/\\n/g, "\n") : value;
}

function apiUrl(env: Environment): string | undefined {
  const value = env.GITHUB_API_URL?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError("GITHUB_API_URL is not a URL: expected e.g. https://github.example.com/api/v3", "GITHUB_API_URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigurationError("GITHUB_API_URL must be an http(s) URL", "GITHUB_API_URL");
  return value.replace(/\/+$/, "");
}
