/**
 * One CEL expression of a policy, compiled once when the policy loads: parsed,
 * checked (check-expression.ts) and planned with @bufbuild/cel. A problem is
 * a value naming its policy code and where in the expression it is.
 */
import { parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import type { CodeInfo } from "../../findings.js";
import { checkExpression } from "./check-expression.js";
import { policyCodes } from "./policy-codes.js";
import { policyEnvironment } from "./policy-environment.js";

export type CelProgram = (bindings: Record<string, CelInput>) => CelResult;

/** Line and column inside the expression text, 1-based. */
export interface ExpressionPosition {
  line: number;
  column: number;
}

export type CompiledExpression =
  | { ok: true; program: CelProgram; /** Variables the expression reads; the others need not be computed. */ variables: ReadonlySet<string> }
  | { ok: false; code: CodeInfo; message: string; at: ExpressionPosition | null };

/** `bool` for validations, `string` for messageExpression (Kubernetes ValidatingAdmissionPolicy). */
export type ExpectedType = "bool" | "string";

export function compileExpression(text: string, expected: ExpectedType): CompiledExpression {
  const env = policyEnvironment();
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch (err) {
    return { ok: false, code: policyCodes.celSyntax, message: syntaxMessage(err), at: syntaxPosition(err) };
  }
  const checked = checkExpression(env, parsed);
  if (!checked.ok) {
    const offset = parsed.sourceInfo?.positions[checked.exprId.toString()];
    return {
      ok: false,
      code: checked.problem === "undeclared" ? policyCodes.celUndeclared : policyCodes.celType,
      message: checked.message,
      at: offset === undefined ? null : positionOf(text, offset),
    };
  }
  const type = checked.type;
  if (!(type.kind === "scalar" && (type.scalar === "dyn" || type.scalar === expected))) {
    return { ok: false, code: policyCodes.celResultType, message: `expression evaluates to ${type}, not ${expected}`, at: null };
  }
  try {
    const program = plan(env, parsed);
    return { ok: true, program: (bindings) => program(bindings), variables: checked.variables };
  } catch (err) {
    // The planner refuses a few constructs the checker lets through (an invalid select or index).
    return { ok: false, code: policyCodes.celType, message: err instanceof Error ? err.message : String(err), at: null };
  }
}

interface PeggyLocation {
  start?: { line?: unknown; column?: unknown };
}

function syntaxPosition(err: unknown): ExpressionPosition | null {
  const loc = (err as { location?: PeggyLocation } | null)?.location?.start;
  return typeof loc?.line === "number" && typeof loc.column === "number" ? { line: loc.line, column: loc.column } : null;
}

function syntaxMessage(err: unknown): string {
  const raw = (err as { rawMessage?: unknown } | null)?.rawMessage;
  if (typeof raw === "string" && raw !== "") return raw;
  // The parser prefixes `<input>:L:C: `; the position is reported separately.
  return (err instanceof Error ? err.message : String(err)).replace(/^<input>:\d+:\d+:\s*/, "");
}

function positionOf(text: string, offset: number): ExpressionPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
