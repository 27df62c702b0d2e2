/**
 * Manifest loading: bytes of YAML/JSON files -> Resources that remember where
 * every field was written. Bad input never throws: it becomes a Finding with
 * file and line, and the rest of the file and of the tree still loads.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type Pair,
  type Tags,
} from "yaml";
import type { Finding } from "../findings.js";
import { findingInFile } from "../findings.js";
import { inputCodes, inputFinding } from "./codes.js";
import type { FieldPath, Resource, SourceFile, SourcePosition } from "./types.js";
import { splitApiVersion } from "./types.js";

export interface LoadOptions {
  /** Files larger than this many bytes are skipped with a finding. */
  maxFileBytes: number;
  /** Alias expansion limit per document (the `yaml` library's resource-exhaustion guard). */
  maxAliasCount: number;
}

export function defaultLoadOptions(): LoadOptions {
  return { maxFileBytes: 4 * 1024 * 1024, maxAliasCount: 100 };
}

export interface LoadResult {
  resources: Resource[];
  findings: Finding[];
  /** What each file loaded to: loading another revision takes over the files whose bytes are the same. */
  files: LoadedFiles;
}

export interface LoadedFiles {
  readonly options: LoadOptions;
  readonly byPath: ReadonlyMap<string, LoadedFile>;
}

export interface LoadedFile {
  readonly content: Uint8Array | string;
  readonly resources: readonly Resource[];
  readonly findings: readonly Finding[];
}

/**
 * Loads `files`. With `previous` (another revision's `LoadResult.files`,
 * loaded with the same options), a file whose path and bytes are unchanged
 * is not parsed again: its Resources and findings are the previous ones,
 * which nothing mutates. A pull request changes a few files of a tree, so
 * its head costs little more than those files.
 */
export function loadManifests(files: readonly SourceFile[], options?: Partial<LoadOptions>, previous?: LoadedFiles | null): LoadResult {
  const opts: LoadOptions = { ...defaultLoadOptions(), ...options };
  const byPath = new Map<string, LoadedFile>();
  const out: LoadResult = { resources: [], findings: [], files: { options: opts, byPath } };
  const reusable = previous && sameOptions(previous.options, opts) ? previous.byPath : null;
  const keys = new KeyTable();
  for (const file of files) {
    const prior = reusable?.get(file.path);
    if (prior && sameContent(prior.content, file.content)) {
      for (const r of prior.resources) out.resources.push(r);
      for (const f of prior.findings) out.findings.push(f);
      byPath.set(file.path, prior);
      continue;
    }
    const resourcesBefore = out.resources.length;
    const findingsBefore = out.findings.length;
    loadFile(file, opts, out, keys);
    byPath.set(file.path, {
      content: file.content,
      resources: out.resources.slice(resourcesBefore),
      findings: out.findings.slice(findingsBefore),
    });
  }
  return out;
}

function loadFile(file: SourceFile, opts: LoadOptions, out: LoadResult, keys: KeyTable): void {
  const text = decodeSource(file, opts, out.findings);
  if (text === null) return;
  const before = out.resources.length;
  try {
    loadText(file.path, text, opts, out, keys);
  } catch (err) {
    // The parser reports what it recognises; anything it throws instead (deep nesting
    // beyond the stack) still must not stop the rest of the tree from loading.
    out.resources.length = before;
    out.findings.push(
      findingInFile(
        file.path,
        { line: 1, column: 1 },
        inputFinding(inputCodes.syntax, `File cannot be parsed: ${err instanceof Error ? err.message : String(err)}; it was not loaded.`),
      ),
    );
  }
}

function sameOptions(a: LoadOptions, b: LoadOptions): boolean {
  return a.maxFileBytes === b.maxFileBytes && a.maxAliasCount === b.maxAliasCount;
}

function sameContent(a: Uint8Array | string, b: Uint8Array | string): boolean {
  if (a === b) return true;
  if (typeof a === "string" || typeof b === "string") return false;
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

// UTF-8 as the YAML spec and kubectl read it; a leading BOM is dropped (the decoder's default).
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeSource(file: SourceFile, opts: LoadOptions, findings: Finding[]): string | null {
  const size = typeof file.content === "string" ? utf8Length(file.content, opts.maxFileBytes) : file.content.byteLength;
  if (size > opts.maxFileBytes) {
    findings.push(
      findingInFile(
        file.path,
        { line: 1, column: 1 },
        inputFinding(
          inputCodes.fileTooLarge,
          `File is ${size} bytes, over the limit of ${opts.maxFileBytes} bytes; it was not loaded.`,
          "Split the file, or raise maxFileBytes.",
        ),
      ),
    );
    return null;
  }
  if (typeof file.content === "string") {
    return file.content.charCodeAt(0) === 0xfeff ? file.content.slice(1) : file.content;
  }
  try {
    return utf8.decode(file.content);
  } catch {
    const bytes = file.content;
    const offset = Math.max(0, firstInvalidUtf8(bytes));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = utf8.decode(bytes.subarray(lineStart, offset)).length + 1;
    findings.push(
      findingInFile(
        file.path,
        { line, column },
        inputFinding(
          inputCodes.invalidUtf8,
          `File is not valid UTF-8: byte 0x${bytes[offset]?.toString(16).padStart(2, "0") ?? "??"} at offset ${offset}; it was not loaded.`,
          "Save the file as UTF-8.",
        ),
      ),
    );
    return null;
  }
}

/** UTF-8 byte length of `s`, exact only when it may exceed `limit`. */
function utf8Length(s: string, limit: number): number {
  if (s.length * 3 <= limit) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Offset of the first byte that starts an ill-formed UTF-8 sequence (Unicode table 3-7), or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let trailing: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) trailing = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      trailing = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      trailing = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= trailing; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += trailing + 1;
  }
  return -1;
}

/**
 * kubectl reads manifests with a YAML 1.1 resolver (go-yaml v2 through
 * sigs.k8s.io/yaml; kubernetes/kubernetes#34146): `yes`/`no`/`on`/`off`/`y`/`n`
 * are booleans and `0777` is octal, so `istio-injection: on` is a boolean
 * there and a schema violation for a label. go-yaml hands timestamps, base-60
 * numbers and `!!binary`/`!!set`/`!!omap`/`!!pairs` to JSON as plain strings,
 * so those YAML 1.1 types are left out.
 */
const stringLikeTags = new Set([
  "tag:yaml.org,2002:timestamp",
  "tag:yaml.org,2002:binary",
  "tag:yaml.org,2002:set",
  "tag:yaml.org,2002:omap",
  "tag:yaml.org,2002:pairs",
]);

function kubectlTags(tags: Tags): Tags {
  return tags.filter((t) => typeof t === "string" || (!stringLikeTags.has(t.tag) && t.format !== "TIME"));
}

type ParsedDocument = Document.Parsed;

function loadText(file: string, text: string, opts: LoadOptions, out: LoadResult, keys: KeyTable): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    version: "1.1",
    merge: true,
    uniqueKeys: true,
    customTags: kubectlTags,
  });
  // The parse is complete (parseAllDocuments reads the whole text), so every line start is known.
  const positions = new FilePositions(lineCounter.lineStarts, keys);
  const posAt = (offset: number) => positions.at(offset);

  let docIndex = -1;
  for (const doc of docs as Iterable<ParsedDocument>) {
    docIndex++;
    const syntax = doc.errors.find((e) => e.code !== "DUPLICATE_KEY");
    if (syntax) {
      out.findings.push(
        findingInFile(
          file,
          posAt(syntax.pos[0]),
          inputFinding(inputCodes.syntax, `YAML syntax error in document ${docIndex + 1}: ${syntax.message}; the document was not loaded.`),
        ),
      );
      continue;
    }
    for (const dup of doc.errors) {
      const key = keyAt(doc, dup.pos[0]) ?? text.slice(dup.pos[0], dup.pos[1]);
      out.findings.push(
        findingInFile(
          file,
          posAt(dup.pos[0]),
          inputFinding(
            inputCodes.duplicateKey,
            `Duplicate key ${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key)}: the last value is used.`,
            "Remove one of the two entries; kubectl rejects objects with duplicate fields.",
          ),
        ),
      );
    }

    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;

    let value: unknown;
    try {
      value = compactCopy(doc.toJS({ maxAliasCount: opts.maxAliasCount }));
    } catch (err) {
      const alias = firstAlias(doc);
      const isAliasLimit = err instanceof ReferenceError && alias !== null;
      out.findings.push(
        findingInFile(
          file,
          posAt(alias?.range?.[0] ?? root.range[0]),
          isAliasLimit
            ? inputFinding(
                inputCodes.aliasLimit,
                `Document ${docIndex + 1} expands YAML aliases beyond the limit of ${opts.maxAliasCount}; it was not loaded.`,
                "Write the repeated values out, or raise maxAliasCount.",
              )
            : inputFinding(inputCodes.syntax, `Document ${docIndex + 1} cannot be read: ${(err as Error).message}`),
        ),
      );
      continue;
    }

    const ctx: DocContext = { file, docIndex, doc, posAt, positions };
    if (!isPlainObject(value)) {
      out.findings.push(
        findingInFile(
          file,
          posAt(root.range[0]),
          inputFinding(inputCodes.notAnObject, `Document ${docIndex + 1} is ${describe(value)}, not a mapping with apiVersion, kind and metadata.`),
        ),
      );
      continue;
    }

    const items = listItems(value, root, doc);
    if (items) {
      items.values.forEach((item, i) => addResource(item, items.nodes[i] ?? items.seq, ctx, out));
    } else {
      addResource(value, root, ctx, out);
    }
  }
  positions.finish();
}

interface DocContext {
  file: string;
  docIndex: number;
  doc: ParsedDocument;
  posAt: (offset: number) => SourcePosition;
  positions: FilePositions;
}

/**
 * kubectl expands `kind: List` and any `*List` kind that carries `items`
 * into its items (resource builder, `meta.ExtractList`), one level deep.
 */
function listItems(
  value: Record<string, unknown>,
  root: Node,
  doc: ParsedDocument,
): { values: unknown[]; nodes: (Node | null)[]; seq: Node } | null {
  if (typeof value.kind !== "string" || !value.kind.endsWith("List") || !Array.isArray(value.items)) return null;
  const map = resolveNode(root, doc);
  const pair = map && isMap(map) ? pairsByKey(map.items as Pair[], doc, 0).get("items") : undefined;
  const step = pair ? stepOf(pair) : null;
  const seq = step ? resolveNode(step.value, doc) : null;
  if (!seq || !isSeq(seq)) return null;
  const nodes = seq.items.map((n) => (isAlias(n) || isCollection(n) || isScalar(n) ? resolveNode(n, doc) : null));
  return { values: value.items, nodes, seq };
}

function addResource(value: unknown, node: Node, ctx: DocContext, out: LoadResult): void {
  const at = positionsOf(node, ctx);
  const problem = (path: FieldPath, message: string) =>
    out.findings.push(findingInFile(ctx.file, at(path), inputFinding(inputCodes.notAnObject, message)));

  if (!isPlainObject(value)) {
    problem([], `List item is ${describe(value)}, not a mapping with apiVersion, kind and metadata.`);
    return;
  }
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== "string" || apiVersion === "") {
    problem(["apiVersion"], "Object has no apiVersion (a non-empty string is required).");
    return;
  }
  if (typeof kind !== "string" || kind === "") {
    problem(["kind"], `${apiVersion} object has no kind (a non-empty string is required).`);
    return;
  }
  if (!isPlainObject(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
    problem(["metadata", "name"], `${kind} has no metadata.name (a non-empty string is required).`);
    return;
  }
  const ns = metadata.namespace;
  if (ns !== undefined && ns !== null && typeof ns !== "string") {
    problem(["metadata", "namespace"], `${kind} ${metadata.name}: metadata.namespace must be a string.`);
    return;
  }
  const { group, version } = ctx.positions.keys.apiVersion(apiVersion);
  out.resources.push({
    apiVersion,
    group,
    version,
    kind,
    name: metadata.name,
    // An empty namespace is no namespace, as the API server reads it.
    namespace: ns ? ns : null,
    labels: stringEntries(metadata.labels),
    annotations: stringEntries(metadata.annotations),
    object: value,
    file: ctx.file,
    docIndex: ctx.docIndex,
    position: ctx.posAt(node.range?.[0] ?? 0),
    locate: at,
  });
}

/**
 * Where the fields of one object were written, kept instead of the YAML AST.
 * Keeping every Document for `locate` held several times the memory of the
 * objects themselves; instead, one walk of the fresh AST records, for each
 * mapping and sequence of the object, the offset `locate` reports for each
 * entry and where the entry's own collection is, and the AST is dropped with
 * its Document.
 *
 * The records of all objects of a file are one Int32Array (`FilePositions`),
 * mapping keys are numbers from the load's `KeyTable`, and the file's line
 * starts are a Uint32Array: four bytes a cell, and no string or number
 * object per entry. A collection at cell `c` starts with its header,
 * `entries * 2 + (mapping ? 1 : 0)`, and its entries follow: `key, offset,
 * child` for a mapping (own keys first, then keys inherited through `<<`,
 * in lookup order), `offset, child` for a sequence. `child` is the cell of
 * the entry's collection, or -1 where the value is a scalar. Collections an
 * alias repeats are stored once.
 */
const NO_CHILD = -1;
/** An entry that exists but has no source range: the ancestor's offset stands. */
const NO_RANGE = -1;
/** An entry the AST holds but a path cannot step into (a pair inside a sequence). */
const NO_STEP = -2;

/** Mapping keys as small numbers, and apiVersions split once, shared by every file of one load. */
class KeyTable {
  private readonly ids = new Map<string, number>();
  private readonly apiVersions = new Map<string, { group: string; version: string }>();

  /** Group and version of `apiVersion`: the same two strings for every object of the load that names it. */
  apiVersion(apiVersion: string): { group: string; version: string } {
    let split = this.apiVersions.get(apiVersion);
    if (!split) this.apiVersions.set(apiVersion, (split = splitApiVersion(apiVersion)));
    return split;
  }

  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }

  /** The key's number, or -1 when no object of the load has that key. */
  find(key: string): number {
    return this.ids.get(key) ?? -1;
  }
}

/** The position records of one file's objects, and its line starts. */
class FilePositions {
  private building: number[] | null = [];
  private cells: Int32Array = new Int32Array(0);
  private readonly lineStarts: Uint32Array;

  constructor(
    lineStarts: readonly number[],
    readonly keys: KeyTable,
  ) {
    this.lineStarts = Uint32Array.from(lineStarts);
  }

  /** Line and column of a text offset, as the parser's LineCounter computes them. */
  at(offset: number): SourcePosition {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (low < starts.length && starts[low] === offset) return { line: low + 1, column: 1 };
    if (low === 0) return { line: 0, column: offset };
    return { line: low, column: offset - starts[low - 1]! + 1 };
  }

  /** Records the object at `root`; returns the cell its records start at, or -1 for a scalar root. */
  add(root: Node, doc: ParsedDocument): number {
    const resolved = resolveNode(root, doc);
    if (!resolved || !isCollection(resolved) || !this.building) return NO_CHILD;
    return addCollection(resolved, this.building, new Map(), doc, this.keys);
  }

  /** The file is loaded: its records become one exact-length typed array. */
  finish(): void {
    if (this.building) this.cells = Int32Array.from(this.building);
    this.building = null;
  }

  /** The offset `locate` reports for `path` in the object recorded at `start`. */
  offsetOf(start: number, rootOffset: number, path: FieldPath): number {
    const cells = this.building ?? this.cells;
    let c = start;
    let offset = rootOffset;
    for (const seg of path) {
      if (c === NO_CHILD) break;
      const header = cells[c]!;
      const entries = header >> 1;
      let at = -1;
      if (header & 1) {
        const key = this.keys.find(String(seg));
        if (key < 0) break;
        for (let i = 0, k = c + 1; i < entries; i++, k += 3) {
          if (cells[k] === key) {
            at = k + 1;
            break;
          }
        }
      } else if (typeof seg === "number" && Number.isInteger(seg) && seg >= 0 && seg < entries) {
        at = c + 1 + seg * 2;
      }
      if (at < 0) break;
      const found = cells[at]!;
      if (found === NO_STEP) break;
      if (found !== NO_RANGE) offset = found;
      c = cells[at + 1]!;
    }
    return offset;
  }
}

/**
 * `locate` for the object at `root`: the position of the value at a path. A
 * field whose value is a block mapping or sequence is located at its key
 * (`match:`), as istioctl analyze reports it, and so is a field with no value
 * (`metadata:`); scalars and flow collections at the value itself; a
 * sequence item at the item. A path that does not exist resolves to its
 * nearest existing ancestor.
 */
function positionsOf(root: Node, ctx: DocContext): (path: FieldPath) => SourcePosition {
  const rootOffset = root.range?.[0] ?? 0;
  const positions = ctx.positions;
  const start = positions.add(root, ctx.doc);
  return (path) => positions.at(positions.offsetOf(start, rootOffset, path));
}

/** Appends `collection` to `cells` (then its collections) and returns its index. */
function addCollection(collection: Node, cells: number[], added: Map<Node, number>, doc: ParsedDocument, keys: KeyTable): number {
  const known = added.get(collection);
  if (known !== undefined) return known;
  const start = cells.length;
  // Registered before the children are added, so a cycle through aliases ends here.
  added.set(collection, start);
  let steps: ({ key: Node | null; value: Node } | null)[];
  if (isMap(collection)) {
    const pairs = pairsByKey(collection.items as Pair[], doc, 0);
    cells.push(pairs.size * 2 + 1);
    steps = [];
    for (const [key, pair] of pairs) {
      cells.push(keys.id(key), NO_STEP, NO_CHILD);
      steps.push(stepOf(pair));
    }
  } else {
    const items = isSeq(collection) ? collection.items : [];
    cells.push(items.length * 2);
    for (let i = 0; i < items.length; i++) cells.push(NO_STEP, NO_CHILD);
    steps = items.map((item) => (isAlias(item) || isScalar(item) || isCollection(item) ? { key: null, value: item } : null));
  }
  const stride = isMap(collection) ? 3 : 2;
  const first = isMap(collection) ? start + 2 : start + 1;
  steps.forEach((step, i) => {
    if (!step) return;
    const at = first + i * stride;
    const target = step.value;
    const blockCollection = isCollection(target) && !target.flow;
    const empty = !target.range || target.range[0] === target.range[1];
    const located = step.key && (blockCollection || empty) ? step.key : target;
    cells[at] = located.range?.[0] ?? NO_RANGE;
    const inner = resolveNode(target, doc);
    if (inner && isCollection(inner)) cells[at + 1] = addCollection(inner, cells, added, doc, keys);
  });
  return start;
}

function stepOf(pair: Pair): { key: Node | null; value: Node } | null {
  const key = isScalar(pair.key) || isCollection(pair.key) ? (pair.key as Node) : null;
  const value = isAlias(pair.value) || isScalar(pair.value) || isCollection(pair.value) ? (pair.value as Node) : null;
  if (value) return { key, value };
  return key ? { key: null, value: key } : null;
}

/**
 * The pair each key of a mapping resolves to: the first pair that names it,
 * else the first found through YAML merge keys (`<<: *base`), searched in
 * order and depth first, at most 8 merges deep.
 */
function pairsByKey(pairs: readonly Pair[], doc: ParsedDocument, depth: number): Map<string, Pair> {
  const found = new Map<string, Pair>();
  let merges = false;
  for (const p of pairs) {
    if (!isScalar(p.key)) continue;
    if (typeof p.key.value === "symbol") merges = true;
    else {
      const key = String(p.key.value);
      if (!found.has(key)) found.set(key, p);
    }
  }
  if (!merges || depth > 8) return found;
  for (const p of pairs) {
    if (!isScalar(p.key) || typeof p.key.value !== "symbol") continue;
    const v = resolveNode(p.value, doc);
    const sources = v && isSeq(v) ? v.items.map((i) => resolveNode(i, doc)) : [v];
    for (const s of sources) {
      if (!s || !isMap(s)) continue;
      for (const [key, pair] of pairsByKey(s.items as Pair[], doc, depth + 1)) if (!found.has(key)) found.set(key, pair);
    }
  }
  return found;
}

function resolveNode(node: unknown, doc: ParsedDocument): Node | null {
  let n = node;
  // Aliases to aliases are not valid YAML, but guard the loop anyway.
  for (let i = 0; i < 8 && isAlias(n); i++) n = n.resolve(doc);
  return isScalar(n) || isCollection(n) ? n : null;
}

/** The source text of the mapping key that starts at `offset`. */
function keyAt(doc: ParsedDocument, offset: number): string | null {
  let found: string | null = null;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = pair.key.source ?? String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function firstAlias(doc: ParsedDocument): Node | null {
  let found: Node | null = null;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * The same JSON value, rebuilt by JSON.parse: objects exactly as large as
 * their keys and strings of their own. `toJS` grows each object key by key
 * (leaving spare slots) and returns strings that are slices of the file's
 * text, which keeps every file's whole text alive as long as any object
 * from it; for a large tree this copy more than halves what the objects
 * hold, for less time than the garbage collector would spend on the rest.
 * A value JSON cannot carry (YAML's .inf and .nan, a number beyond the
 * double range, a cycle through an alias) is kept as `toJS` made it.
 */
function compactCopy(value: unknown): unknown {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    // A cycle through an alias: JSON has no way to write it.
    return value;
  }
  // JSON writes a non-finite number as null; only a text with a null can have one.
  if (json.includes("null") && hasNonFinite(value)) return value;
  return JSON.parse(json);
}

function hasNonFinite(v: unknown): boolean {
  if (typeof v === "number") return !Number.isFinite(v);
  if (typeof v !== "object" || v === null) return false;
  for (const item of Array.isArray(v) ? v : Object.values(v)) if (hasNonFinite(item)) return true;
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a sequence";
  return `a ${typeof v}`;
}

/** Shared by every Resource without labels (or annotations); Resources are never mutated. */
const NO_ENTRIES: Record<string, string> = Object.freeze({}) as Record<string, string>;

function stringEntries(v: unknown): Record<string, string> {
  if (!isPlainObject(v)) return NO_ENTRIES;
  const entries = Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string");
  return entries.length === 0 ? NO_ENTRIES : Object.fromEntries(entries);
}
