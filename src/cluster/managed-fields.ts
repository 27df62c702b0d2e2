/**
 * Field ownership from `metadata.managedFields`, the record server-side apply keeps of which
 * field manager set which field ("Server-Side Apply", Kubernetes docs; KEP-555). Each entry
 * holds a FieldsV1 set: a trie whose edges are `f:<name>` (a map field), `k:<json>` (an
 * associative list item by its key fields), `v:<json>` (a set item by value) and `i:<n>` (a
 * list item by position), and whose nodes are members themselves when they are leaves (`{}`)
 * or carry `".": {}`.
 *
 * The trie is resolved against the live object once, so ownership is asked for by the same
 * `FieldPath` the rest of meshplan uses (`["spec", "http", 0, "route"]`). Malformed entries are
 * skipped, never thrown on: an object whose managedFields cannot be read simply has no owners.
 */
import type { LiveObject } from "./cluster-port.js";
import { TOOLING_NAME } from "./apply-set.js";
import type { FieldPath } from "../manifests/types.js";
import { canonicalJson } from "../routing/canonical-json.js";

/** Who set a field, as one managedFields entry says. */
export interface FieldOwnerInfo {
  manager: string;
  operation: "Apply" | "Update";
  /** RFC 3339, as the server writes it; null when the entry has none. */
  time: string | null;
  apiVersion: string;
  /** `status` (or `scale`) when the entry was written through a subresource; null for the main resource. */
  subresource: string | null;
}

/** One edge of a FieldsV1 trie, decoded. */
export type FieldsV1Element =
  | { type: "field"; name: string }
  | { type: "key"; fields: Record<string, unknown> }
  | { type: "value"; value: unknown }
  | { type: "index"; index: number };

export interface FieldSetNode {
  /** The node itself is owned (a leaf `{}`, or `".": {}` next to children). */
  member: boolean;
  children: { element: FieldsV1Element; node: FieldSetNode }[];
}

export interface ManagedFieldsEntry extends FieldOwnerInfo {
  fields: FieldSetNode;
}

/** A field one manager owns, as a path into the live object. */
export interface OwnedField {
  path: FieldPath;
  owner: FieldOwnerInfo;
}

export interface FieldOwnershipOptions {
  /** The manager `ownerOf` passes over when another owner exists; meshplan's own. */
  fieldManager: string;
}

export function defaultFieldOwnershipOptions(): FieldOwnershipOptions {
  return { fieldManager: TOOLING_NAME };
}

/**
 * Ownership of one live object's fields.
 *
 * `owners(path)` follows these rules, in order:
 * 1. A manager owns the value at `path` when its set holds `path` itself, or holds an ancestor
 *    as a leaf: an atomic list or map (`f:route: {}`) belongs as a whole, with everything inside
 *    it, to whoever set it last.
 * 2. When neither holds, `path` is a container nobody owns as such (a map, or a list whose items
 *    are tracked one by one), and its owners are the managers owning anything below it.
 * A path absent from the live object has only the owners of rule 1's ancestors. Owners are
 * sorted most recent first (entries without a time last), then in managedFields order.
 */
export interface FieldOwnership {
  readonly entries: readonly FieldOwnerInfo[];
  owners(path: FieldPath): FieldOwnerInfo[];
  /** The owner to name for `path`: the most recent one other than `fieldManager`, else `fieldManager`, else null. */
  ownerOf(path: FieldPath): FieldOwnerInfo | null;
  /** Every leaf a manager owns (all managers when omitted) that exists in the live object, sorted by path. */
  ownedLeafPaths(manager?: string): OwnedField[];
}

const MAX_DEPTH = 128;

/** Decodes one `fieldsV1` value; null when it is not a well-formed FieldsV1 set. */
export function parseFieldsV1(raw: unknown): FieldSetNode | null {
  try {
    return parseNode(raw, 0);
  } catch {
    return null;
  }
}

function parseNode(raw: unknown, depth: number): FieldSetNode {
  if (!isRecord(raw) || depth > MAX_DEPTH) throw new Error("not a FieldsV1 node");
  const node: FieldSetNode = { member: false, children: [] };
  const keys = Object.keys(raw);
  if (keys.length === 0 && depth > 0) node.member = true;
  for (const key of keys) {
    if (key === ".") {
      node.member = true;
      continue;
    }
    node.children.push({ element: parseElement(key), node: parseNode(raw[key], depth + 1) });
  }
  return node;
}

function parseElement(key: string): FieldsV1Element {
  const body = key.slice(2);
  switch (key.slice(0, 2)) {
    case "f:":
      return { type: "field", name: body };
    case "k:": {
      const fields: unknown = JSON.parse(body);
      if (!isRecord(fields)) throw new Error("k: element is not an object");
      return { type: "key", fields };
    }
    case "v:":
      return { type: "value", value: JSON.parse(body) as unknown };
    case "i:": {
      const index = Number(body);
      if (!/^\d+$/.test(body) || !Number.isSafeInteger(index)) throw new Error("i: element is not an index");
      return { type: "index", index };
    }
    default:
      throw new Error(`unknown FieldsV1 element ${key}`);
  }
}

/**
 * The readable entries of `metadata.managedFields`, in order. An entry is skipped when it has no
 * manager, an operation other than Apply or Update, a fieldsType other than FieldsV1, or a
 * fieldsV1 that does not decode.
 */
export function managedFieldsOf(object: { metadata?: unknown }): ManagedFieldsEntry[] {
  const metadata = object.metadata;
  const raw = isRecord(metadata) ? metadata["managedFields"] : undefined;
  if (!Array.isArray(raw)) return [];
  const out: ManagedFieldsEntry[] = [];
  for (const entry of raw) {
    if (!isRecord(entry)) continue;
    const { manager, operation, apiVersion, time, fieldsType, subresource } = entry;
    if (typeof manager !== "string" || manager === "") continue;
    if (operation !== "Apply" && operation !== "Update") continue;
    if (fieldsType !== undefined && fieldsType !== "FieldsV1") continue;
    const fields = parseFieldsV1(entry["fieldsV1"]);
    if (fields === null) continue;
    out.push({
      manager,
      operation,
      apiVersion: typeof apiVersion === "string" ? apiVersion : "",
      time: typeof time === "string" && time !== "" ? time : null,
      subresource: typeof subresource === "string" && subresource !== "" ? subresource : null,
      fields,
    });
  }
  return out;
}

/** A place in the live object with the entries (by index) that own it. */
interface OwnershipNode {
  /** The value exists in the live object. */
  present: boolean;
  /** Entries whose set holds this node as a member. */
  owners: number[];
  /** Entries whose set holds this node as a leaf: they own everything inside it too. */
  whole: number[];
  /** Entries owning something strictly below. */
  below: number[];
  children: Map<string | number, OwnershipNode>;
}

const newOwnershipNode = (present: boolean): OwnershipNode => ({ present, owners: [], whole: [], below: [], children: new Map() });

/** Resolves every entry's field set against `live` once; lookups afterwards cost the path's depth. */
export function fieldOwnership(live: LiveObject | Record<string, unknown>, options: Partial<FieldOwnershipOptions> = {}): FieldOwnership {
  const { fieldManager } = { ...defaultFieldOwnershipOptions(), ...options };
  const entries = managedFieldsOf(live);
  const infos: FieldOwnerInfo[] = entries.map(({ manager, operation, time, apiVersion, subresource }) => ({
    manager,
    operation,
    time,
    apiVersion,
    subresource,
  }));
  const root = newOwnershipNode(true);
  const lists = new ListIndexes();
  entries.forEach((entry, e) => resolve(entry.fields, root, live, e, lists));

  // Most recent first, then managedFields order; ISO timestamps of one format sort as strings.
  const rank = infos.map((_, i) => i).sort((a, b) => {
    const ta = infos[a]!.time;
    const tb = infos[b]!.time;
    if (ta !== tb) {
      if (ta === null) return 1;
      if (tb === null) return -1;
      return ta < tb ? 1 : -1;
    }
    return a - b;
  });
  const order = new Map(rank.map((e, position) => [e, position]));
  const toInfos = (set: Set<number>) => [...set].sort((a, b) => order.get(a)! - order.get(b)!).map((e) => infos[e]!);

  const owners = (path: FieldPath): FieldOwnerInfo[] => {
    const found = new Set<number>();
    let node: OwnershipNode | undefined = root;
    for (const seg of path) {
      for (const e of node.whole) found.add(e);
      node = node.children.get(seg);
      // An entry can name a field the object no longer has (a stale or hand-written entry); it owns no value there.
      if (node === undefined || !node.present) return toInfos(found);
    }
    for (const e of node.owners) found.add(e);
    if (found.size === 0) for (const e of node.below) found.add(e);
    return toInfos(found);
  };

  return {
    entries: infos,
    owners,
    ownerOf(path) {
      const all = owners(path);
      return all.find((o) => o.manager !== fieldManager) ?? all[0] ?? null;
    },
    ownedLeafPaths(manager) {
      const out: OwnedField[] = [];
      const walk = (node: OwnershipNode, path: (string | number)[]) => {
        if (!node.present) return;
        for (const e of node.whole) {
          const info = infos[e]!;
          if (manager === undefined || info.manager === manager) out.push({ path: [...path], owner: info });
        }
        for (const key of sortedSegments(node.children.keys())) walk(node.children.get(key)!, [...path, key]);
      };
      walk(root, []);
      return out;
    },
  };
}

/** Every owner of the value at `path` (see `FieldOwnership` for the rules). */
export function owners(live: LiveObject | Record<string, unknown>, path: FieldPath): FieldOwnerInfo[] {
  return fieldOwnership(live).owners(path);
}

/** The owner to name for `path`: the most recent one that is not meshplan (or `options.fieldManager`), else meshplan, else null. */
export function ownerOf(
  live: LiveObject | Record<string, unknown>,
  path: FieldPath,
  options: Partial<FieldOwnershipOptions> = {},
): FieldOwnerInfo | null {
  return fieldOwnership(live, options).ownerOf(path);
}

/** The leaves `manager` (every manager when omitted) owns in `live`, as paths into it. */
export function ownedLeafPaths(live: LiveObject | Record<string, unknown>, manager?: string): OwnedField[] {
  return fieldOwnership(live).ownedLeafPaths(manager);
}

/** Walks one entry's set and the live value side by side; returns whether the entry owns anything at or below `target`. */
function resolve(set: FieldSetNode, target: OwnershipNode, value: unknown, e: number, lists: ListIndexes): boolean {
  let owns = false;
  if (set.member) {
    if (!target.owners.includes(e)) target.owners.push(e);
    if (set.children.length === 0 && !target.whole.includes(e)) target.whole.push(e);
    owns = true;
  }
  let ownsBelow = false;
  for (const { element, node } of set.children) {
    let key: string | number;
    let child: unknown;
    if (element.type === "field") {
      key = element.name;
      child = isRecord(value) ? value[element.name] : undefined;
    } else {
      if (!Array.isArray(value)) continue;
      const index = lists.find(value, element);
      // An item the live list no longer holds: nothing to attach ownership to.
      if (index === undefined) continue;
      key = index;
      child = value[index];
    }
    let next = target.children.get(key);
    if (next === undefined) target.children.set(key, (next = newOwnershipNode(child !== undefined)));
    if (resolve(node, next, child, e, lists)) ownsBelow = true;
  }
  if (ownsBelow && !target.below.includes(e)) target.below.push(e);
  return owns || ownsBelow;
}

/**
 * Position lookups for `k:` and `v:` elements, built once per live list and per set of key
 * fields, so resolving n items of an n-item list costs O(n), not O(n²).
 */
class ListIndexes {
  private readonly byKeyFields = new WeakMap<unknown[], Map<string, Map<string, number>>>();
  private readonly byValue = new WeakMap<unknown[], Map<string, number>>();

  find(list: unknown[], element: FieldsV1Element): number | undefined {
    switch (element.type) {
      case "index":
        return element.index < list.length ? element.index : undefined;
      case "value":
        return this.values(list).get(canonicalJson(element.value));
      case "key": {
        const names = Object.keys(element.fields).sort();
        return this.keys(list, names).get(canonicalJson(element.fields));
      }
      case "field":
        return undefined;
    }
  }

  private values(list: unknown[]): Map<string, number> {
    let index = this.byValue.get(list);
    if (index === undefined) {
      index = new Map();
      for (let i = 0; i < list.length; i++) {
        const k = canonicalJson(list[i]);
        if (!index.has(k)) index.set(k, i);
      }
      this.byValue.set(list, index);
    }
    return index;
  }

  private keys(list: unknown[], names: string[]): Map<string, number> {
    let perNames = this.byKeyFields.get(list);
    if (perNames === undefined) this.byKeyFields.set(list, (perNames = new Map()));
    const signature = JSON.stringify(names);
    let index = perNames.get(signature);
    if (index === undefined) {
      index = new Map();
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (!isRecord(item)) continue;
        const key: Record<string, unknown> = {};
        let complete = true;
        for (const n of names) {
          if (item[n] === undefined) complete = false;
          key[n] = item[n];
        }
        if (!complete) continue;
        const k = canonicalJson(key);
        if (!index.has(k)) index.set(k, i);
      }
      perNames.set(signature, index);
    }
    return index;
  }
}

/** List indexes in numeric order, then field names in code-unit order. */
function sortedSegments(keys: Iterable<string | number>): (string | number)[] {
  return [...keys].sort((a, b) => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
