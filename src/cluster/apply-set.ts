/**
 * ApplySet bookkeeping for the cluster sync, after KEP-3659 ("ApplySet: kubectl apply --prune
 * redesign"): the id of a set, the labels and annotations that mark its parent and members, the
 * inventory diff that decides what to prune, and the guards that keep a bad tree from emptying a
 * cluster. Plain data in, plain data out; the cluster adapter does the reading and writing.
 */
import { createHash } from "node:crypto";
import type { GroupKind } from "../manifests/types.js";

/** KEP-3659: every member carries this label; its value is the parent's id and is the source of truth for membership. */
export const APPLYSET_PART_OF_LABEL = "applyset.kubernetes.io/part-of";
/** KEP-3659: the label that makes an object an ApplySet parent. */
export const APPLYSET_ID_LABEL = "applyset.kubernetes.io/id";
/** KEP-3659: parent hint listing member group-kinds as `Kind.group` (`Kind` for the core group), sorted. */
export const APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION = "applyset.kubernetes.io/contains-group-kinds";
/** KEP-3659: parent annotation `<toolname>/<semver>`; tools refuse to mutate sets another tool manages. */
export const APPLYSET_TOOLING_ANNOTATION = "applyset.kubernetes.io/tooling";
/** KEP-3659: namespaces other than the parent's own in which members live, sorted. */
export const APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION = "applyset.kubernetes.io/additional-namespaces";
/** The git commit the set was last applied from; meshplan's own, on the parent. */
export const APPLIED_COMMIT_ANNOTATION = "meshplan.io/applied-commit";

export const TOOLING_NAME = "meshplan";

/** The identity of a set member: group-kind plus namespace and name. The API version is not part of it. */
export interface MemberRef {
  /** "" for the core group. */
  group: string;
  kind: string;
  /** null (or "") for cluster-scoped objects. */
  namespace: string | null;
  name: string;
}

export interface ApplySetParentRef {
  name: string;
  /** null for a cluster-scoped parent. */
  namespace: string | null;
  kind: string;
  /** "" for the core group (ConfigMap, Secret). */
  group: string;
}

/**
 * KEP-3659 "ApplySet Identification": base64 (URL-safe alphabet, RFC 4648) of
 * sha256(`<name>.<namespace>.<kind>.<group>`). The KEP binds the id to the parent's GKNN so one
 * set cannot impersonate another. kubectl drops the padding and wraps the hash as
 * `applyset-<hash>-v1` because label values must start and end alphanumeric; we produce the
 * same value so kubectl and meshplan recognise each other's sets. A cluster-scoped parent
 * contributes an empty namespace segment (`name..Kind.group`), as kubectl does.
 */
export function applySetId(parent: ApplySetParentRef): string {
  const gknn = [parent.name, parent.namespace ?? "", parent.kind, parent.group].join(".");
  const hash = createHash("sha256").update(gknn, "utf8").digest("base64url");
  return `applyset-${hash}-v1`;
}

/** `Kind.group`, or just `Kind` for the core group: the form KEP-3659 uses in contains-group-kinds. */
export function groupKindName(gk: { group: string; kind: string }): string {
  return gk.group === "" ? gk.kind : `${gk.kind}.${gk.group}`;
}

/**
 * KEP-3659: the contains-group-kinds list "must be sorted alphabetically" so that re-applying
 * an unchanged set does not rewrite the parent. Byte order, as kubectl sorts, not locale order.
 */
export function containsGroupKinds(members: readonly { group: string; kind: string }[]): string {
  return sortedUnique(members.map(groupKindName)).join(",");
}

/** KEP-3659: tooling is `<toolname>/<semver>` (`kubectl/v1.27`); a bare `0.1.0` gets its `v`. */
export function applySetTooling(version: string): string {
  return `${TOOLING_NAME}/${version.startsWith("v") ? version : `v${version}`}`;
}

export interface ApplySetParentInput {
  /** metadata.name of the ConfigMap; the id is derived from it, so it must stay stable across runs. */
  name: string;
  namespace: string;
  /** Every member of the set as it will be after this apply. */
  members: readonly MemberRef[];
  /** meshplan's version, e.g. `0.1.0`. */
  version: string;
  /** The commit being applied; omitted from the parent when absent. */
  appliedCommit?: string;
}

/**
 * The parent object for a set: a ConfigMap, one of the parent kinds KEP-3659 allows (ConfigMap,
 * Secret, or a custom resource whose CRD is marked as a parent type). It holds no data; it exists
 * to carry the id label and the hint annotations. Members outside the parent's namespace are
 * listed in additional-namespaces, without which KEP-3659 scopes a namespaced parent to its own
 * namespace (plus cluster-scoped members).
 */
export function applySetParent(input: ApplySetParentInput): Record<string, unknown> {
  const id = applySetId({ name: input.name, namespace: input.namespace, kind: "ConfigMap", group: "" });
  const annotations: Record<string, string> = {
    [APPLYSET_TOOLING_ANNOTATION]: applySetTooling(input.version),
    [APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION]: containsGroupKinds(input.members),
  };
  const otherNamespaces = sortedUnique(
    input.members.map((m) => m.namespace ?? "").filter((ns) => ns !== "" && ns !== input.namespace),
  );
  // KEP-3659 reserves the empty value, so the annotation is left out rather than written empty.
  if (otherNamespaces.length > 0) annotations[APPLYSET_ADDITIONAL_NAMESPACES_ANNOTATION] = otherNamespaces.join(",");
  if (input.appliedCommit !== undefined) annotations[APPLIED_COMMIT_ANNOTATION] = input.appliedCommit;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { [APPLYSET_ID_LABEL]: id },
      annotations,
    },
  };
}

export type Membership =
  | { ok: true; object: Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * A copy of `object` carrying the part-of label for set `id`; the input is not touched (subtrees
 * other than metadata and its labels are shared, not cloned). KEP-3659: a manifest that already
 * sets the part-of label is invalid, since membership is the tool's to assign, so it is refused
 * even when the value matches.
 */
export function withMembership(object: Readonly<Record<string, unknown>>, id: string): Membership {
  const metadata = object["metadata"] ?? {};
  if (!isRecord(metadata)) return { ok: false, reason: "metadata is not an object" };
  const labels = metadata["labels"] ?? {};
  if (!isRecord(labels)) return { ok: false, reason: "metadata.labels is not an object" };
  if (Object.hasOwn(labels, APPLYSET_PART_OF_LABEL)) {
    return {
      ok: false,
      reason: `the manifest sets the ${APPLYSET_PART_OF_LABEL} label itself; remove it, meshplan assigns ApplySet membership`,
    };
  }
  return {
    ok: true,
    object: { ...object, metadata: { ...metadata, labels: { ...labels, [APPLYSET_PART_OF_LABEL]: id } } },
  };
}

/**
 * Identity of a member: group, kind, namespace and name, never the version, so moving a route
 * from v1beta1 to v1 neither applies a second copy nor prunes the first. A missing namespace and
 * an empty one are the same (cluster scope).
 */
export function memberKey(ref: MemberRef): string {
  return JSON.stringify([ref.group, ref.kind, ref.namespace ?? "", ref.name]);
}

export interface InventoryDiff<P extends MemberRef = MemberRef, D extends MemberRef = MemberRef> {
  /**
   * Every desired member, once each, in desired order. Members already in the set are applied
   * too: an inventory records identity, not content, so it cannot tell an edited object from an
   * untouched one (server-side apply of an unchanged object is a no-op).
   */
  toApply: D[];
  /** Desired members the previous inventory did not hold (to be created). */
  added: D[];
  /** Members of both inventories: membership unchanged, content possibly changed. */
  unchanged: D[];
  /** Previous members no longer desired, in previous order. */
  toPrune: P[];
}

/**
 * The Flux inventory diff (KEP-3659's "{objects to prune} = {previously applied} - {currently
 * applied}") in one pass over each list. Duplicates keep their first occurrence. Callers must
 * resolve defaulted namespaces on both sides first: a manifest without metadata.namespace and the
 * live object it became would otherwise differ, and the live one would be pruned.
 */
export function diffInventory<P extends MemberRef, D extends MemberRef>(
  previous: readonly P[],
  desired: readonly D[],
): InventoryDiff<P, D> {
  const desiredByKey = new Map<string, D>();
  for (const d of desired) {
    const key = memberKey(d);
    if (!desiredByKey.has(key)) desiredByKey.set(key, d);
  }
  const previousKeys = new Set<string>();
  const toPrune: P[] = [];
  for (const p of previous) {
    const key = memberKey(p);
    if (previousKeys.has(key)) continue;
    previousKeys.add(key);
    if (!desiredByKey.has(key)) toPrune.push(p);
  }
  const toApply: D[] = [];
  const added: D[] = [];
  const unchanged: D[] = [];
  for (const [key, d] of desiredByKey) {
    toApply.push(d);
    (previousKeys.has(key) ? unchanged : added).push(d);
  }
  return { toApply, added, unchanged, toPrune };
}

export interface PruneGuardOptions {
  /** Largest share of the previous inventory one run may prune without confirmation, 0..1. */
  maxShare: number;
  /** The operator confirmed this prune explicitly (a flag, a "type yes"); lifts every limit. */
  confirmed: boolean;
}

export function defaultPruneGuardOptions(): PruneGuardOptions {
  return { maxShare: 0.5, confirmed: false };
}

export type PruneDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether a run may prune `pruneCount` of the `inventorySize` members the set held before it.
 * An empty tree, or a tree read from the wrong path, looks exactly like "delete everything", so
 * pruning the whole set is refused whatever maxShare says, and so is pruning more than maxShare
 * of it, unless confirmed. KEP-3659 asks for the same kind of explicit confirmation before tooling
 * forces a destructive repair.
 */
export function pruneGuard(
  inventorySize: number,
  pruneCount: number,
  options: Partial<PruneGuardOptions> = {},
): PruneDecision {
  const { maxShare, confirmed } = { ...defaultPruneGuardOptions(), ...options };
  if (!isCount(inventorySize) || !isCount(pruneCount)) {
    return { allowed: false, reason: `inventory size and prune count must be whole numbers ≥ 0 (got ${inventorySize} and ${pruneCount})` };
  }
  if (pruneCount > inventorySize) {
    return { allowed: false, reason: `cannot prune ${pruneCount} members from an inventory of ${inventorySize}; the inventory is inconsistent` };
  }
  if (!(maxShare >= 0 && maxShare <= 1)) {
    return { allowed: false, reason: `maxShare must be between 0 and 1 (got ${maxShare})` };
  }
  if (pruneCount === 0 || confirmed) return { allowed: true };
  if (pruneCount === inventorySize) {
    return {
      allowed: false,
      reason:
        `refusing to prune the whole ApplySet (${inventorySize} of ${inventorySize} members): the desired tree is empty or was read ` +
        "from the wrong path; check the path, or confirm the prune to delete everything",
    };
  }
  if (pruneCount / inventorySize > maxShare) {
    const percent = (share: number) => `${Math.round(share * 100)}%`;
    return {
      allowed: false,
      reason:
        `refusing to prune ${pruneCount} of ${inventorySize} members (${percent(pruneCount / inventorySize)}), more than ` +
        `the ${percent(maxShare)} allowed in one run; check the tree, or confirm the prune`,
    };
  }
  return { allowed: true };
}

export interface PrunableOptions {
  /** Group-kinds never pruned, as `group/Kind` ("" group for core). */
  protectedGroupKinds: readonly GroupKind[];
}

/**
 * Deleting a Namespace deletes everything in it, members of other sets and unmanaged objects
 * included; deleting a CustomResourceDefinition deletes every resource of that type in the
 * cluster. Neither is an undo of what this set applied, so both are protected by default.
 */
export function defaultPrunableOptions(): PrunableOptions {
  return { protectedGroupKinds: ["/Namespace", "apiextensions.k8s.io/CustomResourceDefinition"] };
}

export function prunable(member: { group: string; kind: string }, options: PrunableOptions = defaultPrunableOptions()): boolean {
  return !options.protectedGroupKinds.includes(`${member.group}/${member.kind}`);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}
