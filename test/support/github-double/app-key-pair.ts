/**
 * RSA key pairs for GitHub Apps under test, in the formats GitHub uses: the
 * private key as the PKCS#1 PEM GitHub lets an app owner download, the public
 * key as SPKI PEM for the double to verify app JWTs with. Generated once per
 * process and name.
 */
import { generateKeyPairSync } from "node:crypto";

export interface AppKeyPair {
  /** `-----BEGIN RSA PRIVATE KEY-----`, as downloaded from the app's settings page. */
  privateKey: string;
  publicKey: string;
}

const pairs = new Map<string, AppKeyPair>();

export function appKeyPair(name = "meshplan"): AppKeyPair {
  let pair = pairs.get(name);
  if (!pair) {
    pair = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    pairs.set(name, pair);
  }
  return pair;
}
