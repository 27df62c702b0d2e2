/**
 * Field sets in the FieldsV1 format of server-side apply (KEP-555,
 * "managedFields"): a trie whose edges are path elements — `f:<field>` for a
 * map field, `k:{"name":"x"}` for an item of an associative list (keys sorted,
 * as the server writes them), `v:<json>` for an item of a set list, `i:<n>`
 * for a list position — and whose nodes may be members themselves, written
 * `".": {}` when the node also has children.
 */
import type { JsonObject, JsonValue } from "./json-value.js";
import { deepEqual, isObject } from "./json-value.js";
import type { KeyedList, ObjectShape, ResourceType } from "./resource-types.js";
import { kubeErrors } from "./kube-status.js";

export type FieldPath = readonly string[];

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

const newNode = (): Node => ({ member: false, children: new Map() });

export class FieldSet {
  private readonly root: Node = newNode();

  static fromPaths(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Reads `fieldsV1` as the server stores it. */
  static fromFieldsV1(fields: JsonValue): FieldSet {
    const set = new FieldSet();
    const walk = (value: JsonValue, node: Node) => {
      if (!isObject(value)) throw new Error("fieldsV1 must be an object");
      for (const [k, v] of Object.entries(value)) {
        if (k === ".") {
          node.member = true;
          continue;
        }
        const child = newNode();
        node.children.set(k, child);
        if (isObject(v) && Object.keys(v).length === 0) child.member = true;
        else walk(v, child);
      }
    };
    walk(fields, set.root);
    return set;
  }

  insert(path: FieldPath): void {
    let node = this.root;
    for (const el of path) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, (next = newNode()));
      node = next;
    }
    if (path.length > 0) node.member = true;
  }

  private find(path: FieldPath): Node | undefined {
    let node: Node | undefined = this.root;
    for (const el of path) node = node?.children.get(el);
    return node;
  }

  has(path: FieldPath): boolean {
    return this.find(path)?.member ?? false;
  }

  /** The path or anything below it is in the set. */
  hasWithin(path: FieldPath): boolean {
    const node = this.find(path);
    return node !== undefined && (node.member || node.children.size > 0);
  }

  /** Removes the path and everything below it. */
  removeWithin(path: FieldPath): void {
    if (path.length === 0) return;
    const parent = this.find(path.slice(0, -1));
    parent?.children.delete(path[path.length - 1]!);
    this.prune(this.root);
  }

  private prune(node: Node): boolean {
    for (const [k, child] of node.children) if (!this.prune(child)) node.children.delete(k);
    return node.member || node.children.size > 0;
  }

  members(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: Node, path: string[]) => {
      if (node.member) out.push(path);
      for (const [k, child] of node.children) walk(child, [...path, k]);
    };
    walk(this.root, []);
    return out;
  }

  isEmpty(): boolean {
    return this.root.children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.fromPaths([...this.members(), ...other.members()]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.fromPaths(this.members().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.fromPaths(this.members().filter((p) => other.has(p)));
  }

  equals(other: FieldSet): boolean {
    return deepEqual(this.toFieldsV1(), other.toFieldsV1());
  }

  toFieldsV1(): JsonObject {
    const encode = (node: Node): JsonObject => {
      const out: JsonObject = {};
      if (node.member && node.children.size > 0) out["."] = {};
      for (const k of [...node.children.keys()].sort()) out[k] = encode(node.children.get(k)!);
      return out;
    };
    return encode(this.root);
  }
}

/** `.spec.http[0]`-style rendering for conflict messages, as the server prints paths. */
export function pathString(path: FieldPath): string {
  return path
    .map((el) => {
      const body = el.slice(2);
      if (el.startsWith("f:")) return `.${body}`;
      if (el.startsWith("i:")) return `[${body}]`;
      if (el.startsWith("k:")) {
        const key = JSON.parse(body) as JsonObject;
        return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
      }
      return `[=${body}]`;
    })
    .join("");
}

/** How one place in an object behaves under server-side apply. */
export class ShapeLookup {
  constructor(private readonly shape: ObjectShape) {}
  keyed(names: readonly string[]): KeyedList | undefined {
    return this.shape.keyedLists[names.join(".")];
  }
  isSet(names: readonly string[]): boolean {
    return this.shape.setLists.includes(names.join("."));
  }
  isAtomicMap(names: readonly string[]): boolean {
    return this.shape.atomicMaps.includes(names.join("."));
  }
}

/** The `k:` element of an associative list item, with defaulted keys filled in; throws 422 when a key is missing. */
export function itemKey(item: JsonValue, list: KeyedList, names: readonly string[]): string {
  if (!isObject(item)) throw kubeErrors.badRequest(`${names.join(".")}: associative list items must be objects`);
  const key: JsonObject = {};
  for (const k of [...list.keys].sort()) {
    const v = item[k] ?? list.keyDefaults?.[k];
    if (v === undefined || v === null) {
      throw kubeErrors.badRequest(`${names.join(".")}: associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`);
    }
    key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

const METADATA_TRACKED = new Set(["labels", "annotations", "finalizers", "ownerReferences", "generateName"]);

/**
 * The part of an object field ownership is tracked for: server-side apply
 * ignores apiVersion, kind, metadata the server owns (name, namespace, uid,
 * resourceVersion, generation, creationTimestamp, managedFields) and, where
 * `/status` is a subresource, the status of the main resource.
 */
export function trackedContent(obj: JsonObject, type: ResourceType): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "status" && type.statusSubresource) continue;
    if (k === "metadata" && isObject(v)) {
      const meta: JsonObject = {};
      for (const [mk, mv] of Object.entries(v)) if (METADATA_TRACKED.has(mk)) meta[mk] = mv;
      if (Object.keys(meta).length > 0) out.metadata = meta;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** Every field an applied configuration sets: what its manager owns after the apply. */
export function fieldsOf(content: JsonObject, shape: ShapeLookup): FieldSet {
  const set = new FieldSet();
  const walk = (value: JsonValue, path: string[], names: string[]) => {
    if (isObject(value) && (path.length === 0 || !shape.isAtomicMap(names))) {
      const keys = Object.keys(value);
      if (keys.length === 0 && path.length > 0) set.insert(path);
      for (const k of keys) walk(value[k]!, [...path, `f:${k}`], [...names, k]);
      return;
    }
    const keyed = shape.keyed(names);
    if (Array.isArray(value) && keyed) {
      for (const item of value) {
        const itemPath = [...path, itemKey(item, keyed, names)];
        set.insert(itemPath);
        for (const [k, v] of Object.entries(item as JsonObject)) walk(v, [...itemPath, `f:${k}`], [...names, k]);
      }
      return;
    }
    if (Array.isArray(value) && shape.isSet(names)) {
      for (const item of value) set.insert([...path, `v:${JSON.stringify(item)}`]);
      return;
    }
    set.insert(path);
  };
  walk(content, [], []);
  return set;
}

export interface FieldComparison {
  /** Present after, absent before; containers included. */
  added: FieldSet;
  /** Leaf values (scalars, atomic lists and maps) that differ. */
  modified: FieldSet;
  /** Present before, absent after. */
  removed: FieldSet;
}

/** What changed between two versions of an object's tracked content. */
export function compareFields(before: JsonObject, after: JsonObject, shape: ShapeLookup): FieldComparison {
  const modified = new FieldSet();
  const presentOnly = (from: JsonObject, to: JsonObject): FieldSet => {
    const out = new FieldSet();
    const walk = (a: JsonValue | undefined, b: JsonValue, path: string[], names: string[], track: boolean) => {
      if (a === undefined) {
        if (isObject(b) && !shape.isAtomicMap(names)) {
          out.insert(path);
          for (const [k, v] of Object.entries(b)) walk(undefined, v, [...path, `f:${k}`], [...names, k], track);
          return;
        }
        const keyed = shape.keyed(names);
        if (Array.isArray(b) && keyed) {
          out.insert(path);
          for (const item of b) {
            const itemPath = [...path, itemKey(item, keyed, names)];
            out.insert(itemPath);
            for (const [k, v] of Object.entries(item as JsonObject)) walk(undefined, v, [...itemPath, `f:${k}`], [...names, k], track);
          }
          return;
        }
        if (Array.isArray(b) && shape.isSet(names)) {
          out.insert(path);
          for (const item of b) out.insert([...path, `v:${JSON.stringify(item)}`]);
          return;
        }
        out.insert(path);
        return;
      }
      if (isObject(b) && isObject(a) && (path.length === 0 || !shape.isAtomicMap(names))) {
        for (const [k, v] of Object.entries(b)) walk(a[k], v, [...path, `f:${k}`], [...names, k], track);
        return;
      }
      const keyed = shape.keyed(names);
      if (Array.isArray(a) && Array.isArray(b) && keyed) {
        const before = new Map(a.map((item) => [itemKey(item, keyed, names), item] as const));
        for (const item of b) {
          const key = itemKey(item, keyed, names);
          const itemPath = [...path, key];
          const old = before.get(key);
          if (old === undefined) out.insert(itemPath);
          for (const [k, v] of Object.entries(item as JsonObject)) {
            walk(old === undefined ? undefined : (old as JsonObject)[k], v, [...itemPath, `f:${k}`], [...names, k], track);
          }
        }
        return;
      }
      if (Array.isArray(a) && Array.isArray(b) && shape.isSet(names)) {
        for (const item of b) if (!a.some((x) => deepEqual(x, item))) out.insert([...path, `v:${JSON.stringify(item)}`]);
        return;
      }
      if (track && !deepEqual(a, b)) modified.insert(path);
    };
    walk(from, to, [], [], from === before);
    return out;
  };
  const added = presentOnly(before, after);
  const removed = presentOnly(after, before);
  return { added, modified, removed };
}

/** The value at a field path, or undefined where the object has nothing. */
export function valueAt(obj: JsonValue, path: FieldPath, shape: ShapeLookup): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  const names: string[] = [];
  for (const el of path) {
    if (cur === undefined) return undefined;
    if (el.startsWith("f:")) {
      names.push(el.slice(2));
      cur = isObject(cur) ? cur[el.slice(2)] : undefined;
    } else if (el.startsWith("k:") && Array.isArray(cur)) {
      const keyed = shape.keyed(names);
      cur = keyed ? cur.find((item) => itemKey(item, keyed, names) === el) : undefined;
    } else if (el.startsWith("v:") && Array.isArray(cur)) {
      const v = JSON.parse(el.slice(2)) as JsonValue;
      cur = cur.find((item) => deepEqual(item, v));
    } else if (el.startsWith("i:") && Array.isArray(cur)) {
      cur = cur[Number(el.slice(2))];
    } else return undefined;
  }
  return cur;
}

/** Deletes the field or list item at a path, if present. */
export function removeAt(obj: JsonObject, path: FieldPath, shape: ShapeLookup): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1), shape);
  const last = path[path.length - 1]!;
  const names = path.filter((el) => el.startsWith("f:")).map((el) => el.slice(2));
  if (last.startsWith("f:") && isObject(parent)) {
    delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const idx = parent.findIndex((item) => {
      if (last.startsWith("k:")) {
        const keyed = shape.keyed(names);
        return keyed !== undefined && itemKey(item, keyed, names) === last;
      }
      if (last.startsWith("v:")) return deepEqual(item, JSON.parse(last.slice(2)) as JsonValue);
      return false;
    });
    if (idx >= 0) parent.splice(idx, 1);
  }
}
