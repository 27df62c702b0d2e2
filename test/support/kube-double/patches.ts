/**
 * The patch formats the API server accepts (API conventions, "Patch
 * operations"): JSON merge patch (RFC 7386), JSON patch (RFC 6902), the
 * strategic merge patch of built-in types, and the merge of an applied
 * configuration into the live object (KEP-555).
 */
import type { JsonObject, JsonValue } from "./json-value.js";
import { clone, deepEqual, isObject } from "./json-value.js";
import type { ShapeLookup } from "./field-set.js";
import { itemKey } from "./field-set.js";
import { KubeApiError } from "./kube-status.js";

/** RFC 7386: objects merge recursively, `null` deletes, anything else (lists included) replaces. */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Strategic merge patch for the list markers the double knows: lists with a
 * merge key merge item by item (`$patch: delete` removes one, `$patch:
 * replace` replaces the list), set lists union, other lists replace. The
 * ordering directives (`$setElementOrder/...`) and `$retainKeys` are accepted
 * and not modelled.
 */
export function strategicMergePatch(target: JsonValue | undefined, patch: JsonValue, shape: ShapeLookup, names: string[] = []): JsonValue {
  if (isObject(patch)) {
    if (patch.$patch === "replace") return withoutDirectives(patch);
    const out: JsonObject = isObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith("$")) continue;
      if (v === null) delete out[k];
      else out[k] = strategicMergePatch(out[k], v, shape, [...names, k]);
    }
    return out;
  }
  const keyed = shape.keyed(names);
  if (Array.isArray(patch) && keyed) {
    if (patch.some((item) => isObject(item) && item.$patch === "replace")) {
      return patch.filter((item) => !(isObject(item) && item.$patch === "replace")).map(withoutDirectives);
    }
    const out = Array.isArray(target) ? [...target] : [];
    for (const item of patch) {
      const key = itemKey(item, keyed, names);
      const idx = out.findIndex((x) => itemKey(x, keyed, names) === key);
      if (isObject(item) && item.$patch === "delete") {
        if (idx >= 0) out.splice(idx, 1);
      } else if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item, shape, names);
      else out.push(withoutDirectives(item));
    }
    return out;
  }
  if (Array.isArray(patch) && shape.isSet(names)) {
    const out = Array.isArray(target) ? [...target] : [];
    for (const item of patch) if (!out.some((x) => deepEqual(x, item))) out.push(clone(item));
    return out;
  }
  return clone(patch);
}

function withoutDirectives(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(withoutDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("$")) out[k] = withoutDirectives(x);
  return out;
}

/** RFC 6902 with RFC 6901 pointers. A failed operation is refused as the server does, with 422. */
export function jsonPatch(target: JsonObject, ops: JsonValue): JsonObject {
  if (!Array.isArray(ops)) throw unprocessable("json patch must be a list of operations");
  let doc: JsonValue = clone(target);
  const parse = (pointer: JsonValue | undefined): string[] => {
    if (typeof pointer !== "string" || (pointer !== "" && !pointer.startsWith("/"))) throw unprocessable(`invalid JSON pointer ${JSON.stringify(pointer)}`);
    return pointer === "" ? [] : pointer.slice(1).split("/").map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
  };
  const parentOf = (tokens: string[]): [JsonValue, string] => {
    let cur: JsonValue | undefined = doc;
    for (const t of tokens.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(t)] : isObject(cur) ? cur[t] : undefined;
      if (cur === undefined) throw unprocessable(`doc is missing path: "/${tokens.join("/")}"`);
    }
    return [cur, tokens[tokens.length - 1]!];
  };
  const get = (tokens: string[]): JsonValue => {
    if (tokens.length === 0) return doc;
    const [p, last] = parentOf(tokens);
    const v = Array.isArray(p) ? p[Number(last)] : isObject(p) ? p[last] : undefined;
    if (v === undefined) throw unprocessable(`doc is missing path: "/${tokens.join("/")}"`);
    return v;
  };
  const remove = (tokens: string[]): JsonValue => {
    const v = get(tokens);
    const [p, last] = parentOf(tokens);
    if (Array.isArray(p)) p.splice(Number(last), 1);
    else if (isObject(p)) delete p[last];
    return v;
  };
  const add = (tokens: string[], value: JsonValue) => {
    if (tokens.length === 0) {
      doc = value;
      return;
    }
    const [p, last] = parentOf(tokens);
    if (Array.isArray(p)) {
      const idx = last === "-" ? p.length : Number(last);
      if (!Number.isInteger(idx) || idx < 0 || idx > p.length) throw unprocessable(`index out of range: ${last}`);
      p.splice(idx, 0, value);
    } else if (isObject(p)) p[last] = value;
    else throw unprocessable(`doc is missing path: "/${tokens.join("/")}"`);
  };
  for (const op of ops) {
    if (!isObject(op)) throw unprocessable("json patch operation must be an object");
    const path = parse(op.path);
    switch (op.op) {
      case "add":
        add(path, clone(op.value ?? null));
        break;
      case "remove":
        remove(path);
        break;
      case "replace":
        remove(path);
        add(path, clone(op.value ?? null));
        break;
      case "move":
        add(path, remove(parse(op.from)));
        break;
      case "copy":
        add(path, clone(get(parse(op.from))));
        break;
      case "test":
        if (!deepEqual(get(path), op.value ?? null)) throw unprocessable(`testing value /${path.join("/")} failed: test failed`);
        break;
      default:
        throw unprocessable(`Unexpected kind: ${String(op.op)}`);
    }
  }
  if (!isObject(doc)) throw unprocessable("json patch must leave an object");
  return doc;
}

function unprocessable(message: string): KubeApiError {
  return new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${message}`);
}

/**
 * Server-side apply's merge (KEP-555): fields the configuration sets replace
 * the live ones; maps merge granularly unless atomic; associative lists merge
 * item by item on their keys; set lists union; every other list is atomic.
 */
export function applyMerge(live: JsonValue | undefined, applied: JsonValue, shape: ShapeLookup, names: string[] = []): JsonValue {
  if (isObject(applied) && (names.length === 0 || !shape.isAtomicMap(names))) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) out[k] = applyMerge(out[k], v, shape, [...names, k]);
    return out;
  }
  const keyed = shape.keyed(names);
  if (Array.isArray(applied) && keyed) {
    const out = Array.isArray(live) ? [...live] : [];
    for (const item of applied) {
      const key = itemKey(item, keyed, names);
      const idx = out.findIndex((x) => itemKey(x, keyed, names) === key);
      if (idx >= 0) out[idx] = applyMerge(out[idx], item, shape, names);
      else out.push(clone(item));
    }
    return out;
  }
  if (Array.isArray(applied) && shape.isSet(names)) {
    const out = Array.isArray(live) ? [...live] : [];
    for (const item of applied) if (!out.some((x) => deepEqual(x, item))) out.push(clone(item));
    return out;
  }
  return clone(applied);
}
