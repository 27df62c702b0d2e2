/**
 * GitHub's check of a GitHub App's JSON Web Token
 * (docs.github.com: "Generating a JSON Web Token (JWT) for a GitHub App"):
 * RS256, signed with the app's private key, `iss` = the app's id or client id,
 * `iat` not in the future, `exp` in the future and at most 10 minutes ahead.
 * Failures answer with the messages GitHub uses, which @octokit/auth-app
 * recognises to correct for clock skew.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { AppRecord } from "./double-state.js";

export type AppJwtCheck = { ok: true; appId: number } | { ok: false; message: string };

export const jwtMessages = {
  undecodable: "A JSON web token could not be decoded",
  issuedInFuture: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  expired: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  expiresTooLate: "'Expiration time' claim ('exp') is too far in the future",
} as const;

/** Seconds of clock drift GitHub tolerates on `iat` before calling it a token from the future. */
const allowedDriftSeconds = 60;
const maxLifetimeSeconds = 10 * 60;

export function verifyAppJwt(token: string, apps: ReadonlyMap<number, Pick<AppRecord, "id" | "clientId" | "publicKey">>, nowSeconds: number): AppJwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: jwtMessages.undecodable };
  const [encodedHeader = "", encodedPayload = "", signature = ""] = parts;
  const header = decodeJson(encodedHeader);
  const payload = decodeJson(encodedPayload);
  if (!header || !payload || header.alg !== "RS256") return { ok: false, message: jwtMessages.undecodable };

  // `iss` is the app's id, or its client id as GitHub now recommends.
  const { iss } = payload;
  const app = [...apps.values()].find((a) => a.id === (typeof iss === "string" && /^\d+$/.test(iss) ? Number(iss) : iss) || a.clientId === iss);
  if (!app) return { ok: false, message: jwtMessages.undecodable };
  const signed = verify("sha256", Buffer.from(`${encodedHeader}.${encodedPayload}`), app.publicKey, Buffer.from(signature, "base64url"));
  if (!signed) return { ok: false, message: jwtMessages.undecodable };

  const { iat, exp } = payload;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > nowSeconds + allowedDriftSeconds) return { ok: false, message: jwtMessages.issuedInFuture };
  if (typeof exp !== "number" || exp <= nowSeconds) return { ok: false, message: jwtMessages.expired };
  if (exp > nowSeconds + maxLifetimeSeconds) return { ok: false, message: jwtMessages.expiresTooLate };
  return { ok: true, appId: app.id };
}

export function publicKeyOf(pem: string | KeyObject): KeyObject {
  return typeof pem === "string" ? createPublicKey(pem) : pem;
}

function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
