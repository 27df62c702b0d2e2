/** JSON log lines: shape, child loggers, and that credentials never reach a line. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { createJsonLogger } from "../../../src/adapters/log/json-logger.js";
import { childLogger } from "../../../src/adapters/log/child-logger.js";

const clock = { now: () => new Date("2026-11-24T10:00:00.000Z") };

function recorder() {
  const lines: string[] = [];
  const logger = createJsonLogger({ write: (l) => lines.push(l), clock });
  return { lines, logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString().trim();
const installationToken = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
const personalToken = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
const fineGrainedToken = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz";
const signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("createJsonLogger", () => {
  it("writes one JSON line per call: level, time from the clock, message, then the fields", () => {
    const { lines, logger } = recorder();
    logger.info("check run completed", { repo: "shop/mesh", pullNumber: 42 });
    logger.warn("rate limit low", { remaining: 10 });
    logger.error("GitHub answered 502");
    assert.equal(lines.length, 3);
    assert.equal(lines[0], '{"level":"info","time":"2026-11-24T10:00:00.000Z","msg":"check run completed","repo":"shop/mesh","pullNumber":42}');
    assert.deepEqual(JSON.parse(lines[1]!), { level: "warn", time: "2026-11-24T10:00:00.000Z", msg: "rate limit low", remaining: 10 });
    assert.equal(JSON.parse(lines[2]!).level, "error");
  });

  it("keys a child logger's lines by its fields, without changing the parent", () => {
    const { logger, records } = recorder();
    const delivery = logger.child({ delivery: "d-1", event: "pull_request" });
    delivery.child({ job: "pr-check" }).info("queued");
    logger.info("listening");
    assert.deepEqual(records(), [
      { level: "info", time: "2026-11-24T10:00:00.000Z", msg: "queued", delivery: "d-1", event: "pull_request", job: "pr-check" },
      { level: "info", time: "2026-11-24T10:00:00.000Z", msg: "listening" },
    ]);
  });

  it("does not let a field named like the line's own keys replace them", () => {
    const { records, logger } = recorder();
    logger.info("queued", { msg: "other", level: "debug" });
    assert.deepEqual(records()[0], { level: "info", time: "2026-11-24T10:00:00.000Z", msg: "queued", "field.msg": "other", "field.level": "debug" });
  });

  it("masks the values of credential fields, however deep", () => {
    const { lines, logger, records } = recorder();
    logger.info("request", {
      token: installationToken,
      webhookSecret: "It's a Secret to Everybody",
      privateKey: "not even a PEM",
      request: { headers: { Authorization: "bearer abc", "x-hub-signature-256": "sha256=0", accept: "application/json" } },
      credentials: { clientSecret: "x" },
    });
    const r = records()[0]!;
    assert.equal(r.token, "[redacted]");
    assert.equal(r.webhookSecret, "[redacted]");
    assert.equal(r.privateKey, "[redacted]");
    assert.deepEqual(r.request, { headers: { Authorization: "[redacted]", "x-hub-signature-256": "[redacted]", accept: "application/json" } });
    assert.equal(r.credentials, "[redacted]");
    assert.doesNotMatch(lines[0]!, /Secret to Everybody|bearer abc|ghs_/);
  });

  it("keeps flags and counts whose names merely mention a token", () => {
    const { records, logger } = recorder();
    logger.info("token refreshed", { tokenExpired: false, tokenCount: 2 });
    assert.deepEqual(records()[0], { level: "info", time: "2026-11-24T10:00:00.000Z", msg: "token refreshed", tokenExpired: false, tokenCount: 2 });
  });

  it("masks PEM keys, GitHub tokens and webhook signatures inside any string, the message included", () => {
    const { lines, logger, records } = recorder();
    logger.error(`could not authenticate with ${installationToken}`, {
      detail: `key was ${pem} and a ${personalToken}`,
      tokens: [fineGrainedToken],
      header: `X-Hub-Signature-256: ${signature}`,
      truncated: pem.slice(0, 120),
    });
    const r = records()[0]!;
    assert.equal(r.msg, "could not authenticate with [redacted token]");
    assert.equal(r.detail, "key was [redacted private key] and a [redacted token]");
    assert.equal(r.header, "X-Hub-Signature-256: [redacted signature]");
    assert.equal(r.truncated, "[redacted private key]");
    assert.doesNotMatch(lines[0]!, /PRIVATE KEY|ghp_|github_pat_|757107ea/);
  });

  it("logs an error with its name, message and cause, masked", () => {
    const { records, logger } = recorder();
    const cause = Object.assign(new Error(`401 for ${installationToken}`), { status: 401, request: { headers: { authorization: "token abc" } } });
    logger.error("job failed", { error: new Error("check run not completed", { cause }) });
    const error = records()[0]!.error as Record<string, any>;
    assert.equal(error.name, "Error");
    assert.equal(error.message, "check run not completed");
    assert.equal(error.cause.message, "401 for [redacted token]");
    assert.equal(error.cause.status, 401);
    assert.equal(error.cause.request.headers.authorization, "[redacted]");
    assert.match(error.stack, /check run not completed/);
  });

  it("survives circular values and values JSON cannot hold", () => {
    const { records, logger } = recorder();
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    logger.info("odd fields", { loop, big: 10n, when: new Date(0), bytes: new Uint8Array(3), fn: () => 1 });
    assert.deepEqual(records()[0], {
      level: "info",
      time: "2026-11-24T10:00:00.000Z",
      msg: "odd fields",
      loop: { name: "loop", self: "[circular]" },
      big: "10",
      when: "1970-01-01T00:00:00.000Z",
      bytes: "[3 bytes]",
    });
  });
});

describe("childLogger", () => {
  it("uses the JSON logger's own child", () => {
    const { records, logger } = recorder();
    childLogger(logger, { delivery: "d-2" }).warn("redelivery");
    assert.equal(records()[0]!.delivery, "d-2");
  });
  it("adds the fields to any other Logger", () => {
    const seen: [string, Record<string, unknown> | undefined][] = [];
    const plain = { info: (m: string, f?: Record<string, unknown>) => seen.push([m, f]), warn() {}, error() {} };
    childLogger(plain, { delivery: "d-3" }).info("queued", { kind: "pr-check" });
    assert.deepEqual(seen, [["queued", { delivery: "d-3", kind: "pr-check" }]]);
  });
});
