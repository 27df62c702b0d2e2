import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

export type Format = "text" | "markdown" | "json" | "sarif";

export const commonOptions = {
  format: { type: "string", short: "f" },
  quiet: { type: "boolean", short: "q" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** parseArgs with usage errors a person can read. */
export function parseCommand<O extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/^TypeError \[[A-Z_]+\]: /, "") : String(err), command);
  }
}

export function formatOption(command: string, value: string | undefined, allowed: readonly Format[]): Format {
  const f = (value ?? "text") as Format;
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(", ")}, not "${value}"`, command);
  return f;
}

export function colorOption(values: { color?: boolean; "no-color"?: boolean }): boolean | undefined {
  if (values["no-color"]) return false;
  if (values.color) return true;
  return undefined;
}
