/**
 * GitHub's REST contract as GitHub publishes it: the OpenAPI description of
 * api.github.com shipped in @octokit/openapi. It answers which operation a
 * request names (method + path template), and whether the request's path and
 * query parameters, its JSON body and the double's own response fit that
 * operation's schemas.
 *
 * The description (13 MB) is read once per process and each operation's
 * validators are compiled on first use and cached, so every test file pays
 * the cost once.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/** One operation of the description, e.g. `checks/update` = PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}. */
export interface ContractOperation {
  method: string;
  pathTemplate: string;
  operationId: string;
  /** The operation's page on docs.github.com, as GitHub puts it in `documentation_url`. */
  docsUrl: string;
}

export interface OperationMatch {
  operation: ContractOperation;
  /** Decoded path parameters, as strings. */
  pathParams: Record<string, string>;
}

/** One way a request or response departs from the description. */
export interface ContractProblem {
  /** Where: `path`, `query`, `body` or `response`. */
  in: "path" | "query" | "body" | "response";
  /** Parameter name or JSON pointer into the body (`/output/annotations/0/annotation_level`). */
  at: string;
  message: string;
  /** GitHub accepts the request anyway (an undocumented query parameter or body field is ignored). */
  ignoredByGitHub?: true;
}

export interface CheckedRequest {
  problems: ContractProblem[];
  /** Path parameters converted to their schema types (integers as numbers). */
  pathParams: Record<string, string | number>;
  /** Known query parameters converted to their schema types; defaults applied. */
  query: Record<string, unknown>;
}

export interface OpenApiContract {
  /** The operation the description defines for this method and path, or null (GitHub answers 404). */
  match(method: string, pathname: string): OperationMatch | null;
  checkRequest(match: OperationMatch, request: { query: URLSearchParams; body: unknown; hasBody: boolean }): CheckedRequest;
  /** Problems with a response the double is about to send (a bug in the double, not in the client). */
  checkResponse(operation: ContractOperation, status: number, body: unknown): ContractProblem[];
  /** Every operation the description defines. */
  operations(): readonly ContractOperation[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: Json };

interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: SchemaNode;
}

interface OperationSpec {
  operationId: string;
  parameters?: (ParameterSpec | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaNode }> } | { $ref: string };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: SchemaNode }> }>;
  externalDocs?: { url?: string };
}

interface Description {
  paths: Record<string, Record<string, OperationSpec>>;
  components: {
    schemas: Record<string, SchemaNode>;
    parameters: Record<string, ParameterSpec>;
    requestBodies?: Record<string, unknown>;
    responses: Record<string, { content?: Record<string, { schema?: SchemaNode }> }>;
  };
}

const httpMethods = new Set(["get", "put", "post", "patch", "delete", "head", "options"]);
/** Schemas of the description are added under this id; `#/components/...` refs are rewritten to point into it. */
const componentsId = "https://api.github.com/openapi.json";

let cached: OpenApiContract | null = null;

/** The contract of api.github.com, loaded once per process. */
export function openApiContract(): OpenApiContract {
  cached ??= loadContract();
  return cached;
}

interface CompiledRoute {
  operation: ContractOperation;
  spec: OperationSpec;
  pattern: RegExp;
  paramNames: string[];
  /** 1 for each literal segment, 0 for each templated one: more literal segments win, as on GitHub (`issues/comments` over `issues/{issue_number}`). */
  specificity: number[];
}

function loadContract(): OpenApiContract {
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const description = JSON.parse(readFileSync(file, "utf8")) as Description;
  for (const schema of Object.values(description.components.schemas)) normalizeNullable(schema);

  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: componentsId, components: { schemas: description.components.schemas } });

  const routes: CompiledRoute[] = [];
  for (const [pathTemplate, item] of Object.entries(description.paths)) {
    const { pattern, paramNames, specificity } = compileTemplate(pathTemplate);
    for (const [method, spec] of Object.entries(item)) {
      if (!httpMethods.has(method)) continue;
      routes.push({
        operation: {
          method: method.toUpperCase(),
          pathTemplate,
          operationId: spec.operationId,
          docsUrl: spec.externalDocs?.url ?? "https://docs.github.com/rest",
        },
        spec,
        pattern,
        paramNames,
        specificity,
      });
    }
  }
  const byOperationId = new Map(routes.map((r) => [r.operation.operationId, r]));

  const validators = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: SchemaNode): ValidateFunction => {
    let v = validators.get(key);
    if (!v) {
      const copy = rewriteRefs(structuredClone(schema)) as SchemaNode;
      normalizeNullable(copy);
      v = ajv.compile(copy);
      validators.set(key, v);
    }
    return v;
  };

  const resolveParameter = (p: ParameterSpec | { $ref: string }): ParameterSpec =>
    "$ref" in p ? (resolvePointer(description, p.$ref) as ParameterSpec) : p;

  return {
    operations: () => routes.map((r) => r.operation),

    match(method, pathname) {
      let best: CompiledRoute | null = null;
      let bestValues: string[] = [];
      for (const route of routes) {
        if (route.operation.method !== method.toUpperCase()) continue;
        const m = route.pattern.exec(pathname);
        if (!m) continue;
        if (!best || compareSpecificity(route.specificity, best.specificity) > 0) {
          best = route;
          bestValues = m.slice(1);
        }
      }
      if (!best) return null;
      const pathParams: Record<string, string> = {};
      best.paramNames.forEach((name, i) => {
        const raw = bestValues[i] ?? "";
        try {
          pathParams[name] = decodeURIComponent(raw);
        } catch {
          pathParams[name] = raw;
        }
      });
      return { operation: best.operation, pathParams };
    },

    checkRequest(match, request) {
      const route = byOperationId.get(match.operation.operationId);
      if (!route) throw new Error(`unknown operation ${match.operation.operationId}`);
      const problems: ContractProblem[] = [];
      const pathParams: Record<string, string | number> = {};
      const query: Record<string, unknown> = {};
      const known = new Set<string>();

      for (const p of (route.spec.parameters ?? []).map(resolveParameter)) {
        if (p.in !== "path" && p.in !== "query") continue;
        const schema = p.schema ?? {};
        const resolvedSchema = resolveSchema(description, schema);
        if (p.in === "path") {
          const raw = match.pathParams[p.name] ?? "";
          const value = coerceParameter(raw, resolvedSchema);
          pathParams[p.name] = value as string | number;
          const v = validatorFor(`${route.operation.operationId} path ${p.name}`, schema);
          if (!v(value)) problems.push({ in: "path", at: p.name, message: `${JSON.stringify(raw)} is not a valid ${p.name}: ${describeErrors(v.errors)}` });
          continue;
        }
        known.add(p.name);
        const all = request.query.getAll(p.name).concat(request.query.getAll(`${p.name}[]`));
        if (all.length === 0) {
          if (p.required) problems.push({ in: "query", at: p.name, message: `"${p.name}" wasn't supplied.` });
          else if (resolvedSchema.default !== undefined) query[p.name] = resolvedSchema.default;
          continue;
        }
        const value = resolvedSchema.type === "array" ? all.flatMap((s) => s.split(",")).map((s) => coerceParameter(s, resolveSchema(description, (resolvedSchema.items ?? {}) as SchemaNode))) : coerceParameter(all[all.length - 1] ?? "", resolvedSchema);
        query[p.name] = value;
        const v = validatorFor(`${route.operation.operationId} query ${p.name}`, schema);
        if (!v(value)) problems.push({ in: "query", at: p.name, message: `For '${p.name}', ${JSON.stringify(all.join(","))} ${describeErrors(v.errors)}.` });
      }
      for (const name of new Set(request.query.keys())) {
        const base = name.endsWith("[]") ? name.slice(0, -2) : name;
        if (!known.has(base)) problems.push({ in: "query", at: name, message: `"${name}" is not a parameter of ${route.operation.operationId}; GitHub ignores it.`, ignoredByGitHub: true });
      }

      const bodySpec = route.spec.requestBody && "$ref" in route.spec.requestBody ? (resolvePointer(description, route.spec.requestBody.$ref) as OperationSpec["requestBody"]) : route.spec.requestBody;
      const bodySchema = bodySpec && !("$ref" in bodySpec) ? bodySpec.content?.["application/json"]?.schema : undefined;
      if (!bodySchema) {
        if (request.hasBody && request.body !== undefined && !isEmptyObject(request.body)) {
          problems.push({ in: "body", at: "", message: `${route.operation.operationId} takes no request body.` });
        }
      } else if (!request.hasBody || request.body === undefined) {
        if (bodySpec && !("$ref" in bodySpec) && bodySpec.required) {
          // GitHub's answer to a missing body on an endpoint that requires one.
          problems.push({ in: "body", at: "", message: "For 'links/0/schema', nil is not an object." });
        }
      } else {
        const v = validatorFor(`${route.operation.operationId} body`, bodySchema);
        if (!v(request.body)) problems.push(...githubStyleErrors(v.errors ?? []));
        for (const at of unknownProperties(description, bodySchema, request.body, "")) {
          problems.push({ in: "body", at, message: `${at} is not a field of ${route.operation.operationId}; GitHub ignores it.`, ignoredByGitHub: true });
        }
      }
      return { problems, pathParams, query };
    },

    checkResponse(operation, status, body) {
      const route = byOperationId.get(operation.operationId);
      if (!route) return [];
      let response = route.spec.responses?.[String(status)];
      if (!response) {
        return status >= 400 ? [] : [{ in: "response", at: "", message: `${operation.operationId} does not document status ${status}` }];
      }
      if (response.$ref) response = resolvePointer(description, response.$ref) as typeof response;
      const schema = response.content?.["application/json"]?.schema;
      if (!schema) return [];
      const v = validatorFor(`${operation.operationId} response ${status}`, schema);
      if (v(body)) return [];
      return (v.errors ?? []).map((e) => ({ in: "response" as const, at: e.instancePath || "/", message: `${e.instancePath || "response"} ${e.message ?? "is invalid"}` }));
    },
  };
}

function compileTemplate(template: string): { pattern: RegExp; paramNames: string[]; specificity: number[] } {
  const paramNames: string[] = [];
  const specificity: number[] = [];
  const segments = template.split("/").map((segment) => {
    let literal = true;
    const source = segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
      if (name) {
        literal = false;
        paramNames.push(name);
        return "([^/]+?)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    specificity.push(literal ? 1 : 0);
    return source;
  });
  return { pattern: new RegExp(`^${segments.join("/")}$`), paramNames, specificity };
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  }
  return 0;
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function resolveSchema(description: Description, schema: SchemaNode): SchemaNode {
  let s = schema;
  for (let i = 0; i < 16 && typeof s.$ref === "string"; i++) s = resolvePointer(description, s.$ref) as SchemaNode;
  return s;
}

/** Query and path values are strings on the wire; the schema says what they stand for. */
function coerceParameter(raw: string, schema: SchemaNode): unknown {
  if ((schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (schema.type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${componentsId}${v}` : rewriteRefs(v);
    }
    return out;
  }
  return node;
}

/**
 * OpenAPI 3.0 `nullable: true` in JSON Schema terms. Ajv understands it only
 * next to `type` and does not add null to an `enum`; GitHub's description also
 * puts it on `oneOf`/`anyOf`/`allOf` and on schemas with no type at all.
 */
function normalizeNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema)) {
    if (key !== "enum" && key !== "example" && key !== "examples" && key !== "default") normalizeNullable(value);
  }
  if (schema.nullable !== true) return;
  if (schema.type !== undefined) {
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    return;
  }
  delete schema.nullable;
  const constraintKeys = Object.keys(schema).filter((k) => !annotationKeys.has(k));
  if (constraintKeys.length === 0) return;
  const inner: Record<string, unknown> = {};
  for (const k of constraintKeys) {
    inner[k] = schema[k];
    delete schema[k];
  }
  schema.anyOf = [inner, { type: "null" }];
}

const annotationKeys = new Set(["description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "externalDocs", "default"]);

function isEmptyObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Body fields the schema does not name. GitHub ignores them, which hides typos (`annotationLevel`), so the double reports them. */
function unknownProperties(description: Description, schema: SchemaNode, value: unknown, pointer: string): string[] {
  const s = resolveSchema(description, schema);
  if (Array.isArray(value)) {
    const items = s.items;
    if (!items || typeof items !== "object" || Array.isArray(items)) return [];
    return value.flatMap((item, i) => unknownProperties(description, items as SchemaNode, item, `${pointer}/${i}`));
  }
  if (!value || typeof value !== "object") return [];
  const branches = [s, ...compositionBranches(description, s)];
  const declared = new Map<string, SchemaNode[]>();
  let open = false;
  for (const b of branches) {
    // `additionalProperties: true` on an anyOf branch only lets that branch pass next to its siblings' fields.
    const extra = b.additionalProperties;
    if (b === s ? extra !== undefined && extra !== false : typeof extra === "object" && extra !== null) open = true;
    const props = b.properties;
    if (props && typeof props === "object" && !Array.isArray(props)) {
      for (const [k, sub] of Object.entries(props)) declared.set(k, [...(declared.get(k) ?? []), sub as SchemaNode]);
    }
  }
  if (declared.size === 0) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const subs = declared.get(k);
    if (!subs) {
      if (!open) out.push(`${pointer}/${k}`);
      continue;
    }
    // A field declared in several branches is unknown below only if every branch says so.
    const perBranch = subs.map((sub) => unknownProperties(description, sub, v, `${pointer}/${k}`));
    out.push(...perBranch.reduce((a, b) => a.filter((x) => b.includes(x))));
  }
  return out;
}

function compositionBranches(description: Description, s: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    const list = s[key];
    if (!Array.isArray(list)) continue;
    for (const b of list) {
      const r = resolveSchema(description, b as SchemaNode);
      out.push(r, ...compositionBranches(description, r));
    }
  }
  return out;
}

/**
 * Ajv's errors in the words GitHub uses for the same failures
 * (`"summary" wasn't supplied.`, `For 'properties/annotation_level', "bad" is not a member of [...]`),
 * each also naming the field by its JSON pointer.
 */
function githubStyleErrors(errors: ErrorObject[]): ContractProblem[] {
  const out: ContractProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // anyOf/oneOf report their branches' errors as well; those say more than "no branch matched".
    if (e.keyword === "anyOf" || e.keyword === "oneOf") continue;
    const at = e.instancePath;
    const field = at.split("/").pop() || "body";
    let message: string;
    switch (e.keyword) {
      case "required":
        message = `"${(e.params as { missingProperty: string }).missingProperty}" wasn't supplied (at ${at || "/"}).`;
        break;
      case "enum":
        message = `For '${at}', ${JSON.stringify(e.data ?? null)} is not a member of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}.`;
        break;
      case "type":
        message = `For '${at}', ${JSON.stringify(e.data ?? null)} is not ${article((e.params as { type: string }).type)}.`;
        break;
      case "maxItems":
        message = `For '${at}', ${field} has more than ${(e.params as { limit: number }).limit} items.`;
        break;
      case "maxLength":
        message = `For '${at}', ${field} is longer than ${(e.params as { limit: number }).limit} characters.`;
        break;
      case "format":
        message = `For '${at}', ${JSON.stringify(e.data ?? null)} is not a valid ${(e.params as { format: string }).format}.`;
        break;
      default:
        message = `For '${at}', ${field} ${e.message ?? "is invalid"}.`;
    }
    if (seen.has(message)) continue;
    seen.add(message);
    out.push({ in: "body", at, message });
  }
  return out;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => e.message ?? "is invalid").join("; ");
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The formats GitHub's description uses that a client can get wrong; the rest are names for plain strings and numbers. */
function addFormats(ajv: Ajv): void {
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  ajv.addFormat("date-time", { type: "string", validate: (s: string) => dateTime.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat("date", { type: "string", validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) });
  // GitHub sends "" for URLs never set (a deployment status's `target_url`) where the description says `uri`.
  ajv.addFormat("uri", { type: "string", validate: (s: string) => s === "" || URL.canParse(s) });
  ajv.addFormat("email", { type: "string", validate: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s) });
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  for (const name of ["int64", "double", "binary", "repo.nwo", "uri-template", "timestamp"]) ajv.addFormat(name, true);
}
