/**
 * The API server's storage and write path: objects by resource, namespace and
 * name; resourceVersion from one increasing counter (API conventions,
 * "Concurrency Control and Consistency"); uid and creationTimestamp set on
 * create; generation bumped when anything but metadata and status changes;
 * defaulting and validation; field ownership for every write (KEP-555).
 */
import { randomUUID } from "node:crypto";
import type { FieldPath } from "./field-set.js";
import { FieldSet, ShapeLookup, compareFields, fieldsOf, pathString, removeAt, trackedContent } from "./field-set.js";
import type { JsonObject, JsonValue } from "./json-value.js";
import { clone, deepEqual, isObject } from "./json-value.js";
import { KubeApiError, kubeErrors } from "./kube-status.js";
import type { StatusCause } from "./kube-status.js";
import { applyMerge, jsonPatch, mergePatch, strategicMergePatch } from "./patches.js";
import type { ResourceType } from "./resource-types.js";
import { apiVersionOf } from "./resource-types.js";
import { parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { applyDefaults, refreshStatus, validate } from "./server-defaults.js";

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fields: FieldSet;
}

interface StoredObject {
  type: ResourceType;
  /** Without `metadata.managedFields`, which is rendered from `managed`. */
  object: JsonObject;
  managed: ManagedFieldsEntry[];
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun: boolean;
  userAgent?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export type PatchType = "apply" | "merge" | "strategic" | "json";

const groupResource = (t: ResourceType) => ({ group: t.group, resource: t.plural });
const keyOf = (t: ResourceType, namespace: string | undefined, name: string) => `${t.group}/${t.plural}/${namespace ?? ""}/${name}`;
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export class ClusterState {
  private readonly objects = new Map<string, StoredObject>();
  private revision: number;
  private nextIp = 10;

  constructor(
    private readonly now: () => Date,
    firstResourceVersion = 1000,
  ) {
    this.revision = firstResourceVersion;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  private allocateClusterIP(): string {
    const n = this.nextIp++;
    return `10.96.${Math.floor(n / 256) % 256}.${n % 256}`;
  }

  /** The object as the API returns it, managedFields included. */
  render(stored: StoredObject): JsonObject {
    const o = clone(stored.object);
    const meta = o.metadata as JsonObject;
    const ordered: JsonObject = {};
    for (const k of ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "labels", "annotations", "ownerReferences", "finalizers"]) {
      if (meta[k] !== undefined) ordered[k] = meta[k]!;
    }
    if (stored.managed.length > 0) {
      ordered.managedFields = stored.managed.map((m) => ({
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
        time: m.time,
        fieldsType: "FieldsV1",
        fieldsV1: m.fields.toFieldsV1(),
      }));
    }
    for (const [k, v] of Object.entries(meta)) if (!(k in ordered)) ordered[k] = v;
    return { apiVersion: o.apiVersion!, kind: o.kind!, metadata: ordered, ...Object.fromEntries(Object.entries(o).filter(([k]) => !["apiVersion", "kind", "metadata"].includes(k))) };
  }

  find(type: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(keyOf(type, namespace, name));
  }

  all(): { type: ResourceType; object: JsonObject }[] {
    return [...this.objects.values()].map((s) => ({ type: s.type, object: this.render(s) }));
  }

  get(type: ResourceType, namespace: string | undefined, name: string): JsonObject {
    const stored = this.find(type, namespace, name);
    if (!stored) throw kubeErrors.notFound(groupResource(type), name);
    return this.render(stored);
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions): { items: JsonObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number } {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    let start = "";
    if (options.continue) {
      try {
        const token = JSON.parse(Buffer.from(options.continue, "base64url").toString("utf8")) as { start?: unknown };
        if (typeof token.start !== "string") throw new Error("no start");
        start = token.start;
      } catch {
        throw kubeErrors.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
      }
    }
    const matching = [...this.objects.entries()]
      .filter(([, s]) => s.type === type)
      .filter(([, s]) => namespace === undefined || (s.object.metadata as JsonObject).namespace === namespace)
      .filter(([, s]) => {
        const meta = s.object.metadata as JsonObject;
        const l = isObject(meta.labels) ? (meta.labels as Record<string, string>) : {};
        return labels(l) && fields({ "metadata.name": String(meta.name), "metadata.namespace": String(meta.namespace ?? "") });
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([k]) => k > start);
    const limit = options.limit && options.limit > 0 ? options.limit : matching.length;
    const page = matching.slice(0, limit);
    const rest = matching.length - page.length;
    return {
      items: page.map(([, s]) => this.render(s)),
      resourceVersion: this.resourceVersion,
      ...(rest > 0 ? { continue: Buffer.from(JSON.stringify({ start: page[page.length - 1]![0] })).toString("base64url"), remainingItemCount: rest } : {}),
    };
  }

  create(type: ResourceType, namespace: string | undefined, body: JsonObject, options: WriteOptions): JsonObject {
    const name = this.checkIdentity(type, namespace, body, undefined);
    if (this.find(type, namespace, name)) throw kubeErrors.alreadyExists(groupResource(type), name);
    const meta = body.metadata as JsonObject;
    if (meta.resourceVersion) throw kubeErrors.badRequest("resourceVersion should not be set on objects to be created");
    const manager = this.updateManager(options);
    return this.commit(type, undefined, body, [], options.dryRun, (before, after, managed) =>
      recordUpdate(managed, manager, apiVersionOf(type), before, after, type, this.timestamp()),
    );
  }

  update(type: ResourceType, namespace: string | undefined, name: string, body: JsonObject, options: WriteOptions): JsonObject {
    this.checkIdentity(type, namespace, body, name);
    const stored = this.find(type, namespace, name);
    if (!stored) throw kubeErrors.notFound(groupResource(type), name);
    this.checkResourceVersion(type, stored, body);
    const manager = this.updateManager(options);
    return this.commit(type, stored, body, stored.managed, options.dryRun, (before, after, managed) =>
      recordUpdate(managed, manager, apiVersionOf(type), before, after, type, this.timestamp()),
    );
  }

  patch(type: ResourceType, namespace: string | undefined, name: string, patchType: PatchType, patch: JsonValue, options: WriteOptions & { force: boolean }): JsonObject {
    const stored = this.find(type, namespace, name);
    if (patchType === "apply") return this.apply(type, namespace, name, stored, patch, options);
    if (!stored) throw kubeErrors.notFound(groupResource(type), name);
    const live = this.render(stored);
    delete (live.metadata as JsonObject).managedFields;
    let next: JsonValue;
    if (patchType === "json") next = jsonPatch(live, patch);
    else if (!isObject(patch)) throw kubeErrors.badRequest("the body of the request was not a JSON object");
    else next = patchType === "merge" ? mergePatch(live, patch) : strategicMergePatch(live, patch, new ShapeLookup(type.shape));
    if (!isObject(next)) throw kubeErrors.badRequest("patch did not produce an object");
    this.checkIdentity(type, namespace, next, name);
    this.checkResourceVersion(type, stored, next);
    const manager = this.updateManager(options);
    return this.commit(type, stored, next, stored.managed, options.dryRun, (before, after, managed) =>
      recordUpdate(managed, manager, apiVersionOf(type), before, after, type, this.timestamp()),
    );
  }

  /** Server-side apply (KEP-555): merge, conflicts with other managers, force, removal of fields the applier dropped. */
  private apply(type: ResourceType, namespace: string | undefined, name: string, stored: StoredObject | undefined, patch: JsonValue, options: WriteOptions & { force: boolean }): JsonObject {
    const manager = options.fieldManager;
    if (!manager) {
      throw new KubeApiError(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: "meta.k8s.io", kind: "PatchOptions", causes: [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }],
      });
    }
    if (!isObject(patch)) throw kubeErrors.badRequest("error decoding YAML: the applied configuration must be an object");
    this.checkIdentity(type, namespace, patch, name);
    const meta = patch.metadata as JsonObject;
    if (meta.managedFields !== undefined) throw kubeErrors.badRequest("metadata.managedFields must be nil");
    if (stored) this.checkResourceVersion(type, stored, patch);
    const shape = new ShapeLookup(type.shape);
    const appliedTracked = trackedContent(patch, type);
    const applied = { ...appliedTracked, apiVersion: patch.apiVersion!, kind: patch.kind!, metadata: { ...(appliedTracked.metadata as JsonObject | undefined), name, ...(namespace ? { namespace } : {}) } };
    const ownSet = fieldsOf(appliedTracked, shape);
    const live = stored ? clone(stored.object) : undefined;
    const merged = applyMerge(live, applied, shape) as JsonObject;
    return this.commit(type, stored, merged, stored?.managed ?? [], options.dryRun, (before, after, managed) => {
      const changed = (() => {
        const c = compareFields(before, after, shape);
        return c.added.union(c.modified).union(c.removed);
      })();
      const isOwn = (m: ManagedFieldsEntry) => m.manager === manager && m.operation === "Apply";
      const conflicts: { manager: ManagedFieldsEntry; paths: FieldPath[] }[] = [];
      for (const m of managed) {
        if (isOwn(m)) continue;
        const paths = m.fields.intersection(ownSet).intersection(changed).members();
        if (paths.length > 0) conflicts.push({ manager: m, paths });
      }
      if (conflicts.length > 0 && !options.force) throw conflictError(conflicts);
      const next = managed.map((m) => {
        const lost = conflicts.find((c) => c.manager === m);
        return lost ? { ...m, fields: m.fields.difference(FieldSet.fromPaths(lost.paths)) } : m;
      });
      const previous = managed.find(isOwn);
      const others = next.filter((m) => !isOwn(m));
      const dropped = previous
        ? previous.fields.members().filter((p) => !ownSet.hasWithin(p) && !others.some((o) => o.fields.hasWithin(p)))
        : [];
      const entry: ManagedFieldsEntry = {
        manager,
        operation: "Apply",
        apiVersion: apiVersionOf(type),
        time: previous && previous.fields.equals(ownSet) && changed.isEmpty() && dropped.length === 0 ? previous.time : this.timestamp(),
        fields: ownSet,
      };
      const result = previous ? next.map((m) => (isOwn(m) ? entry : m)) : [...next, entry];
      return { managed: result.filter((m) => !m.fields.isEmpty()), remove: dropped };
    });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: { dryRun: boolean; preconditions?: { uid?: string; resourceVersion?: string } }): JsonObject {
    const stored = this.find(type, namespace, name);
    if (!stored) throw kubeErrors.notFound(groupResource(type), name);
    const meta = stored.object.metadata as JsonObject;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      throw kubeErrors.modified(groupResource(type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(meta.uid)}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw kubeErrors.modified(groupResource(type), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`);
    }
    const rendered = this.render(stored);
    if (options.dryRun) return rendered;
    this.objects.delete(keyOf(type, namespace, name));
    this.revision++;
    if (type.kind === "Namespace" && !type.custom) {
      // The namespace controller deletes everything in a terminating namespace; here that happens at once.
      for (const [k, s] of this.objects) if ((s.object.metadata as JsonObject).namespace === name) this.objects.delete(k);
    }
    return rendered;
  }

  /** Puts an object in place as if a controller or a person had created it with `manager`. */
  seed(type: ResourceType, object: JsonObject, manager = "seed"): JsonObject {
    const meta = isObject(object.metadata) ? object.metadata : {};
    const namespace = type.namespaced ? String(meta.namespace ?? "default") : undefined;
    return this.create(type, namespace, { ...object, apiVersion: apiVersionOf(type), kind: type.kind, metadata: { ...meta, ...(namespace ? { namespace } : {}) } }, { fieldManager: manager, dryRun: false });
  }

  private timestamp(): string {
    return rfc3339(this.now());
  }

  private updateManager(options: WriteOptions): string {
    if (options.fieldManager) return options.fieldManager;
    // API conventions: without fieldManager the manager is derived from the user agent, up to the first "/".
    return (options.userAgent ?? "unknown").split("/")[0] || "unknown";
  }

  /** apiVersion, kind, name and namespace of a body against the URL. Returns the name. */
  private checkIdentity(type: ResourceType, namespace: string | undefined, body: JsonObject, urlName: string | undefined): string {
    const expected = apiVersionOf(type);
    if (body.apiVersion !== undefined && body.apiVersion !== expected) {
      throw kubeErrors.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
    }
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw kubeErrors.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`);
    }
    if (body.metadata !== undefined && !isObject(body.metadata)) throw kubeErrors.badRequest("metadata must be an object");
    const meta = (body.metadata ??= {}) as JsonObject;
    body.apiVersion = expected;
    body.kind = type.kind;
    if (urlName !== undefined) {
      if (meta.name !== undefined && meta.name !== urlName) {
        throw kubeErrors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${urlName})`);
      }
      meta.name = urlName;
    }
    if (type.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== namespace) {
        throw kubeErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace ?? null;
    } else delete meta.namespace;
    if (typeof meta.name !== "string" || meta.name === "") {
      throw kubeErrors.invalid(type.kind, type.group, "", [{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }]);
    }
    return meta.name;
  }

  private checkResourceVersion(type: ResourceType, stored: StoredObject, body: JsonObject): void {
    const meta = body.metadata as JsonObject;
    const rv = meta.resourceVersion;
    if (rv !== undefined && rv !== null && rv !== "" && rv !== (stored.object.metadata as JsonObject).resourceVersion) {
      throw kubeErrors.modified(groupResource(type), String(meta.name));
    }
  }

  /**
   * The shared tail of every write: server-owned metadata, defaults, the
   * ownership update (`own`, which may refuse with a conflict and name fields
   * to remove), validation, generation, status, and storage unless dry-run.
   */
  private commit(
    type: ResourceType,
    stored: StoredObject | undefined,
    incoming: JsonObject,
    managed: ManagedFieldsEntry[],
    dryRun: boolean,
    own: (before: JsonObject, after: JsonObject, managed: ManagedFieldsEntry[]) => ManagedFieldsEntry[] | { managed: ManagedFieldsEntry[]; remove: FieldPath[] },
  ): JsonObject {
    const shape = new ShapeLookup(type.shape);
    const next = clone(incoming);
    const meta = next.metadata as JsonObject;
    const namespace = typeof meta.namespace === "string" ? meta.namespace : undefined;
    if (!stored && type.namespaced && namespace !== undefined && !this.namespaceExists(namespace)) {
      throw kubeErrors.notFound({ group: "", resource: "namespaces" }, namespace);
    }
    const old = stored?.object;
    const oldMeta = old?.metadata as JsonObject | undefined;
    for (const k of ["uid", "creationTimestamp", "generation", "resourceVersion", "deletionTimestamp", "selfLink"]) delete meta[k];
    delete meta.managedFields;
    if (type.statusSubresource) {
      delete next.status;
      if (old?.status !== undefined) next.status = clone(old.status);
    }
    const ctx = { allocateClusterIP: () => this.allocateClusterIP() };
    applyDefaults(next, type, ctx);
    const before = old ? trackedContent(old, type) : {};
    const owned = own(before, trackedContent(next, type), managed);
    const result = Array.isArray(owned) ? { managed: owned, remove: [] } : owned;
    if (result.remove.length > 0) {
      for (const p of result.remove) removeAt(next, p, shape);
      applyDefaults(next, type, ctx);
    }
    const causes: StatusCause[] = validate(next, type, old);
    if (causes.length > 0) throw kubeErrors.invalid(type.kind, type.group, String(meta.name), causes);

    meta.uid = oldMeta?.uid ?? randomUUID();
    meta.creationTimestamp = oldMeta?.creationTimestamp ?? this.timestamp();
    if (type.tracksGeneration) {
      const specOf = (o: JsonObject) => Object.fromEntries(Object.entries(o).filter(([k]) => !["apiVersion", "kind", "metadata", "status"].includes(k)));
      const oldGeneration = typeof oldMeta?.generation === "number" ? oldMeta.generation : 0;
      meta.generation = old && deepEqual(specOf(old), specOf(next)) ? oldGeneration : oldGeneration + 1;
    }
    refreshStatus(next, type, this.timestamp());

    const unchanged =
      stored !== undefined &&
      deepEqual({ ...old, metadata: { ...oldMeta, resourceVersion: null } }, { ...next, metadata: { ...meta, resourceVersion: null } }) &&
      result.managed.length === stored.managed.length &&
      result.managed.every((m, i) => m === stored.managed[i] || (m.manager === stored.managed[i]!.manager && m.operation === stored.managed[i]!.operation && m.fields.equals(stored.managed[i]!.fields)));
    // An apply or update that changes nothing does not write: the resourceVersion stays.
    if (unchanged) return this.render(stored);

    if (dryRun) {
      if (oldMeta?.resourceVersion) meta.resourceVersion = oldMeta.resourceVersion;
      return this.render({ type, object: next, managed: result.managed });
    }
    this.revision++;
    meta.resourceVersion = String(this.revision);
    const saved: StoredObject = { type, object: next, managed: result.managed };
    this.objects.set(keyOf(type, namespace, String(meta.name)), saved);
    return this.render(saved);
  }

  private namespaceExists(name: string): boolean {
    for (const s of this.objects.values()) {
      if (s.type.kind === "Namespace" && !s.type.custom && (s.object.metadata as JsonObject).name === name) return true;
    }
    return false;
  }
}

/**
 * An Update operation (create, update, merge/strategic/JSON patch): fields it
 * changed move to its manager, fields it removed leave every manager
 * (KEP-555, "Update operations").
 */
function recordUpdate(managed: ManagedFieldsEntry[], manager: string, apiVersion: string, before: JsonObject, after: JsonObject, type: ResourceType, time: string): ManagedFieldsEntry[] {
  const shape = new ShapeLookup(type.shape);
  const c = compareFields(before, after, shape);
  // Top-level sections (spec, metadata) are containers, not fields a manager sets.
  const changed = FieldSet.fromPaths(c.added.union(c.modified).members().filter((p) => !(p.length === 1 && isObject(after[p[0]!.slice(2)]))));
  const isOwn = (m: ManagedFieldsEntry) => m.manager === manager && m.operation === "Update" && m.apiVersion === apiVersion;
  const next = managed.map((m) => {
    let fields = m.fields;
    for (const p of c.removed.members()) if (fields.hasWithin(p)) fields = fields.difference(FieldSet.fromPaths(fields.members().filter((q) => startsWith(q, p))));
    if (!isOwn(m)) fields = fields.difference(changed);
    return fields === m.fields ? m : { ...m, fields };
  });
  if (!changed.isEmpty()) {
    const own = next.find(isOwn);
    if (own) {
      const idx = next.indexOf(own);
      next[idx] = { ...own, fields: own.fields.union(changed), time };
    } else next.push({ manager, operation: "Update", apiVersion, time, fields: changed });
  }
  return next.filter((m) => !m.fields.isEmpty());
}

const startsWith = (path: FieldPath, prefix: FieldPath) => prefix.every((el, i) => path[i] === el);

/** 409 Conflict naming each field and the manager that owns it (KEP-555, "Conflicts"). */
function conflictError(conflicts: { manager: ManagedFieldsEntry; paths: FieldPath[] }[]): KubeApiError {
  const who = (m: ManagedFieldsEntry) => (m.operation === "Update" ? `"${m.manager}" using ${m.apiVersion}` : `"${m.manager}"`);
  const count = conflicts.reduce((n, c) => n + c.paths.length, 0);
  const parts = conflicts.map((c) =>
    c.paths.length === 1 ? `conflict with ${who(c.manager)}: ${pathString(c.paths[0]!)}` : `conflicts with ${who(c.manager)}:\n${c.paths.map((p) => `- ${pathString(p)}`).join("\n")}`,
  );
  const message = `Apply failed with ${count} conflict${count === 1 ? "" : "s"}: ${parts.join("\n")}`;
  const causes = conflicts.flatMap((c) => c.paths.map((p) => ({ reason: "FieldManagerConflict", message: `conflict with ${who(c.manager)}`, field: pathString(p) })));
  return new KubeApiError(409, "Conflict", message, { causes });
}

