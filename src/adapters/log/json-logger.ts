/**
 * Structured logs as JSON lines (`{"level","time","msg",...fields}`), one per
 * call, the shape CloudWatch Logs Insights and `jq` query directly.
 *
 * Every line passes through `redact` first: webhook secrets, private keys,
 * installation tokens and signatures must never reach a log, even when a
 * caller passes a whole error or options object by mistake.
 */
import type { Clock, Logger } from "../../jobs/ports.js";

export type LogLevel = "info" | "warn" | "error";

export interface JsonLogger extends Logger {
  /** A logger that adds `fields` to every line (a delivery id, a repository). */
  child(fields: Record<string, unknown>): JsonLogger;
}

export interface JsonLoggerOptions {
  /** Receives one line without its newline; default: stderr, so stdout stays free for command results. */
  write?: (line: string) => void;
  clock?: Clock;
  /** Fields on every line. */
  fields?: Record<string, unknown>;
}

const REDACTED = "[redacted]";
/** Keys whose values are credentials whatever they look like. */
const secretKey = /token|secret|signature|private[-_]?key|authori[sz]ation|password|passphrase|credential|cookie|api[-_]?key/i;
const secretText: [RegExp, string][] = [
  // PEM private keys, also when a log line cut them short.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, "[redacted private key]"],
  // GitHub tokens: ghp_ (personal), gho_ (OAuth), ghu_/ghs_ (app user/installation), ghr_ (refresh), github_pat_ (fine-grained).
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, "[redacted token]"],
  // JWTs, such as the GitHub App's own token.
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, "[redacted token]"],
  // X-Hub-Signature(-256) values.
  [/\bsha(?:1|256)=[0-9a-f]{40,64}\b/g, "[redacted signature]"],
  [/\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{16,}/g, "$1 [redacted]"],
];
const reserved = new Set(["level", "time", "msg"]);
const maxDepth = 8;

export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const clock = options.clock ?? { now: () => new Date() };
  const base = options.fields ?? {};

  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    const record: Record<string, unknown> = { level, time: clock.now().toISOString(), msg: redactText(message) };
    for (const [key, value] of Object.entries({ ...base, ...fields })) {
      // A field named like the line's own keys is kept, under a name that cannot shadow them.
      record[reserved.has(key) ? `field.${key}` : key] = redact(value, key);
    }
    write(serialize(record));
  };

  return {
    info: (message, fields) => log("info", message, fields),
    warn: (message, fields) => log("warn", message, fields),
    error: (message, fields) => log("error", message, fields),
    child: (fields) => createJsonLogger({ write, clock, fields: { ...base, ...fields } }),
  };
}

/** A copy of `value` with credentials masked: by key name, and by what secrets look like inside strings. */
export function redact(value: unknown, key?: string, depth = 0, seen = new WeakSet<object>()): unknown {
  // Flags and counts under such names (`tokenExpired`, `signatureChecks`) are not credentials.
  if (key !== undefined && secretKey.test(key) && ((typeof value === "string" && value !== "") || (typeof value === "object" && value !== null))) return REDACTED;
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object" || value === null) return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  if (seen.has(value)) return "[circular]";
  if (depth >= maxDepth) return "[nested too deep]";
  seen.add(value);
  try {
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Error) return redactError(value, depth, seen);
    if (value instanceof Map) return redactEntries([...value.entries()].map(([k, v]) => [String(k), v]), depth, seen);
    if (value instanceof Set) return [...value].map((v) => redact(v, undefined, depth + 1, seen));
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((v) => redact(v, undefined, depth + 1, seen));
    return redactEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = redact(v, k, depth + 1, seen);
  return out;
}

/** Errors serialize to `{}` in JSON; keep what explains them (name, message, status, cause, stack). */
function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactText(error.message) };
  for (const [k, v] of Object.entries(error)) out[k] = redact(v, k, depth + 1, seen);
  if (error.cause !== undefined) out.cause = redact(error.cause, "cause", depth + 1, seen);
  if (error.stack) out.stack = redactText(error.stack);
  return out;
}

function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of secretText) out = out.replace(pattern, replacement);
  return out;
}

function serialize(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record);
  } catch {
    // A field whose toJSON throws must not turn a log call into a failure.
    return JSON.stringify({ level: record.level, time: record.time, msg: record.msg, logError: "fields could not be serialized" });
  }
}
