/**
 * Static checking of a parsed CEL expression before it is planned: every
 * identifier must be a declared variable, a comprehension variable or a type
 * name, every function must exist, and every operator and function must have
 * an overload for the argument types it is given (cel-spec langdef, "Name
 * Resolution" and "Overloads"). The result is the expression's type, so a
 * validation that can only be a string, say, is refused when it loads.
 *
 * @bufbuild/cel 0.6 evaluates the whole language but keeps its checker
 * internal (it covers constants and identifiers only), so this walk does the
 * checking. It invents no semantics of its own: overloads and their result
 * types come from the environment's function declarations, the same ones the
 * evaluator dispatches on. Variables are `dyn` (schemaless JSON), and `dyn`
 * is assignable to everything, so whatever depends on a field's runtime type
 * is left to evaluation, as Kubernetes does for CRDs it has no schema for.
 */
import { CelScalar, listType, mapType, objectType, type CelEnv, type CelType, type parse } from "@bufbuild/cel";

type ParsedExpr = ReturnType<typeof parse>;
type Expr = ParsedExpr["expr"];

export type CheckResult =
  | { ok: true; type: CelType; /** Declared variables the expression reads. */ variables: ReadonlySet<string> }
  | { ok: false; problem: "undeclared" | "type"; message: string; exprId: bigint };

export function checkExpression(env: CelEnv, parsed: ParsedExpr): CheckResult {
  try {
    const checker = new ExpressionChecker(env);
    const type = checker.check(parsed.expr);
    return { ok: true, type, variables: checker.variables };
  } catch (err) {
    if (err instanceof CheckProblem) return { ok: false, problem: err.problem, message: err.message, exprId: err.exprId };
    throw err;
  }
}

/** Internal to the walk; checkExpression turns it into a result. */
class CheckProblem extends Error {
  constructor(
    readonly problem: "undeclared" | "type",
    message: string,
    readonly exprId: bigint,
  ) {
    super(message);
  }
}

const { BOOL, BYTES, DOUBLE, DYN, INT, NULL, STRING, TYPE, UINT } = CelScalar;
const DURATION = objectType("google.protobuf.Duration");
const TIMESTAMP = objectType("google.protobuf.Timestamp");

/** Identifiers that name a type and evaluate to it (`type(x) == string`), as the evaluator resolves them. */
const typeNames = new Set(["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"]);

/** Operators the evaluator implements itself instead of through function declarations. */
const LOGICAL = new Set(["_&&_", "_||_"]);

class ExpressionChecker {
  private scopes: Map<string, CelType>[] = [];
  readonly variables = new Set<string>();

  constructor(private readonly env: CelEnv) {}

  check(expr: Expr): CelType {
    const id = expr.id;
    const k = expr.exprKind;
    switch (k.case) {
      case "constExpr":
        return constantType(k.value.constantKind.case, id);
      case "identExpr":
        return this.ident(k.value.name, id);
      case "selectExpr": {
        const { operand, field, testOnly } = k.value;
        if (!operand) throw new CheckProblem("type", "select without an operand", id);
        const t = this.check(operand);
        if (isDyn(t)) return testOnly ? BOOL : DYN;
        if (t.kind === "map") return testOnly ? BOOL : t.value;
        throw new CheckProblem("type", `type '${t}' does not support field selection ('.${field}')`, id);
      }
      case "callExpr":
        return this.call(k.value, id);
      case "listExpr": {
        const elements = k.value.elements.map((e) => this.check(e));
        return listType(common(elements));
      }
      case "structExpr": {
        if (k.value.messageName !== "") {
          throw new CheckProblem("type", `message construction (${k.value.messageName}{...}) is not available to policies`, id);
        }
        const keys: CelType[] = [];
        const values: CelType[] = [];
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === "mapKey") keys.push(this.check(entry.keyKind.value));
          if (entry.value) values.push(this.check(entry.value));
        }
        const key = common(keys);
        if (!isDyn(key) && !["int", "uint", "bool", "string"].includes(key.name)) {
          throw new CheckProblem("type", `unsupported map key type '${key}'`, id);
        }
        return mapType(key as Parameters<typeof mapType>[0], common(values));
      }
      case "comprehensionExpr":
        return this.comprehension(k.value, id);
      default:
        throw new CheckProblem("type", "unsupported expression", id);
    }
  }

  private ident(name: string, id: bigint): CelType {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i]!.get(name);
      if (t) return t;
    }
    const declared = this.env.variables.find(name);
    if (declared) {
      this.variables.add(name);
      return declared;
    }
    if (typeNames.has(name)) return TYPE;
    throw new CheckProblem("undeclared", `undeclared reference to '${name}'`, id);
  }

  private call(call: Extract<Expr["exprKind"], { case: "callExpr" }>["value"], id: bigint): CelType {
    const fn = call.function;
    const qualified = call.target ? this.qualifiedFunction(call.target, fn) : null;
    const target = call.target && !qualified ? this.check(call.target) : undefined;
    const args = call.args.map((a) => this.check(a));
    const name = qualified ?? fn;

    if (LOGICAL.has(name)) {
      for (const a of args) if (!isDyn(a) && a.name !== "bool") throw noOverload(name, args, id);
      return BOOL;
    }
    switch (name) {
      case "_?_:_":
        if (!isDyn(args[0]!) && args[0]!.name !== "bool") throw noOverload(name, args, id);
        return common([args[1]!, args[2]!]);
      case "@not_strictly_false":
      case "__not_strictly_false__":
        return BOOL;
      case "_[_]":
        return indexType(args[0]!, args[1]!, id);
      case "_[?_]":
      case "_?._":
        return DYN;
      case "dyn":
        return DYN;
    }

    const group = this.env.funcs.find(name);
    if (!group) throw new CheckProblem("undeclared", `undeclared reference to function '${name}'`, id);
    const results: CelType[] = [];
    for (const f of group) {
      if ((f.target === undefined) !== (target === undefined)) continue;
      if (f.target && target && !assignable(f.target, target)) continue;
      if (f.arguments.length !== args.length) continue;
      if (!f.arguments.every((p, i) => assignable(p, args[i]!))) continue;
      results.push(f.result);
    }
    if (results.length === 0) throw noOverload(name, target ? [target, ...args] : args, id, target !== undefined);
    return common(results);
  }

  /** `strings.quote(x)`: a function whose name is qualified by identifiers that are not variables. */
  private qualifiedFunction(target: Expr, fn: string): string | null {
    const parts: string[] = [];
    let e: Expr | undefined = target;
    while (e && e.exprKind.case === "selectExpr" && !e.exprKind.value.testOnly) {
      parts.unshift(e.exprKind.value.field);
      e = e.exprKind.value.operand;
    }
    if (!e || e.exprKind.case !== "identExpr") return null;
    const root = e.exprKind.value.name;
    if (this.scopes.some((s) => s.has(root)) || this.env.variables.find(root)) return null;
    const name = [root, ...parts, fn].join(".");
    return this.env.funcs.find(name) ? name : null;
  }

  private comprehension(c: Extract<Expr["exprKind"], { case: "comprehensionExpr" }>["value"], id: bigint): CelType {
    if (!c.iterRange || !c.accuInit || !c.loopCondition || !c.loopStep || !c.result) {
      throw new CheckProblem("type", "incomplete comprehension", id);
    }
    const range = this.check(c.iterRange);
    const vars = new Map<string, CelType>();
    if (isDyn(range)) {
      vars.set(c.iterVar, DYN);
      if (c.iterVar2) vars.set(c.iterVar2, DYN);
    } else if (range.kind === "list") {
      if (c.iterVar2) {
        vars.set(c.iterVar, INT);
        vars.set(c.iterVar2, range.element);
      } else vars.set(c.iterVar, range.element);
    } else if (range.kind === "map") {
      vars.set(c.iterVar, range.key);
      if (c.iterVar2) vars.set(c.iterVar2, range.value);
    } else {
      throw new CheckProblem("type", `expression of type '${range}' cannot be the range of a comprehension (list or map required)`, c.iterRange.id);
    }
    const accu = this.check(c.accuInit);
    this.scopes.push(new Map([[c.accuVar, accu]]));
    this.scopes.push(vars);
    this.check(c.loopCondition);
    this.check(c.loopStep);
    this.scopes.pop();
    const result = this.check(c.result);
    this.scopes.pop();
    return result;
  }
}

function constantType(kind: string | undefined, id: bigint): CelType {
  switch (kind) {
    case "boolValue":
      return BOOL;
    case "int64Value":
      return INT;
    case "uint64Value":
      return UINT;
    case "doubleValue":
      return DOUBLE;
    case "stringValue":
      return STRING;
    case "bytesValue":
      return BYTES;
    case "nullValue":
      return NULL;
    case "durationValue":
      return DURATION;
    case "timestampValue":
      return TIMESTAMP;
    default:
      throw new CheckProblem("type", `unsupported constant ${kind ?? ""}`, id);
  }
}

function indexType(operand: CelType, index: CelType, id: bigint): CelType {
  if (isDyn(operand)) return DYN;
  if (operand.kind === "list" && (isDyn(index) || index.name === "int" || index.name === "uint")) return operand.element;
  if (operand.kind === "map" && assignable(operand.key, index)) return operand.value;
  throw noOverload("_[_]", [operand, index], id);
}

function isDyn(t: CelType): boolean {
  return t.kind === "scalar" && t.scalar === "dyn";
}

/** May a value of type `arg` be passed where `param` is declared? `dyn` on either side defers to evaluation. */
function assignable(param: CelType, arg: CelType): boolean {
  if (isDyn(param) || isDyn(arg)) return true;
  if (param.kind !== arg.kind) return false;
  if (param.kind === "list" && arg.kind === "list") return assignable(param.element, arg.element);
  if (param.kind === "map" && arg.kind === "map") return assignable(param.key, arg.key) && assignable(param.value, arg.value);
  return param.name === arg.name;
}

function sameType(a: CelType, b: CelType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "list" && b.kind === "list") return sameType(a.element, b.element);
  if (a.kind === "map" && b.kind === "map") return sameType(a.key, b.key) && sameType(a.value, b.value);
  return a.name === b.name;
}

/** The one type all of `types` share, else `dyn` (an empty list literal is `list(dyn)`). */
function common(types: readonly CelType[]): CelType {
  const [first, ...rest] = types;
  if (!first) return DYN;
  return rest.every((t) => sameType(t, first)) ? first : DYN;
}

function noOverload(name: string, args: readonly CelType[], id: bigint, member = false): CheckProblem {
  const shown = args.map(String);
  const applied = member ? `${shown[0]}.(${shown.slice(1).join(", ")})` : `(${shown.join(", ")})`;
  return new CheckProblem("type", `found no matching overload for '${name}' applied to '${applied}'`, id);
}
