/**
 * Makes a cluster hold the desired objects: server-side apply of every desired
 * object as field manager `meshplan`, then an ApplySet (KEP-3659) prune of
 * the members no longer desired. Orchestration over the ClusterPort only; the
 * decisions (order, inventory diff, guards) are the pure functions of
 * apply-order.ts and apply-set.ts.
 *
 * The sequence follows KEP-3659 "Kubectl apply --prune: updated workflow":
 *  1. read the parent; refuse a set another tool manages; skip a commit older than the one applied;
 *  2. list the current members by the part-of label, for every group-kind the parent
 *     lists and every group-kind desired;
 *  3. widen the parent's contains-group-kinds to the union of old and new before applying,
 *     so an interrupted run never leaves members the parent does not point to;
 *  4. apply in the documented order (apply-order.ts); one object's failure is reported
 *     and the rest still applies; an unreachable cluster stops the run;
 *  5. prune, in reverse order, the members no longer desired — only when every apply
 *     succeeded and every file was readable (an object in an unreadable file is not
 *     "no longer desired"), within the prune guard, never Namespaces or CRDs;
 *  6. narrow the parent to what the set now holds and record the applied commit.
 */
import type { Finding } from "../findings.js";
import type { Resource } from "../manifests/types.js";
import { applyOrder, pruneOrder } from "./apply-order.js";
import {
  APPLIED_COMMIT_ANNOTATION,
  APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  TOOLING_NAME,
  applySetId,
  applySetParent,
  diffInventory,
  memberKey,
  prunable,
  pruneGuard,
  withMembership,
  type MemberRef,
  type PruneGuardOptions,
} from "./apply-set.js";
import { diffObjects, withoutServerFields } from "./object-diff.js";
import { ClusterError, type ClusterFailure, type ClusterPort, type LiveObject, type ResourceInfo } from "./cluster-port.js";

/** Where the set's parent ConfigMap lives; its name fixes the set's id, so it must not change between runs. */
export interface ApplySetLocation {
  name: string;
  namespace: string;
}

export interface SyncInput {
  /** The desired objects, as loaded from the tree (file and line are kept for reports). */
  resources: readonly Resource[];
  /**
   * Loader findings for input that could not be read into objects (syntax errors, files too
   * large, …). When there are any, nothing is pruned: the objects those files held would look
   * removed.
   */
  unreadable: readonly Finding[];
  applySet: ApplySetLocation;
  /** Namespace for namespaced objects that name none (the cluster's configured namespace). */
  defaultNamespace: string;
  /** The commit the objects come from; recorded on the parent. */
  commit: string | null;
  /** meshplan's version, for the parent's tooling annotation. */
  version: string;
  dryRun: boolean;
  prune: boolean;
  /** Take over fields other managers own instead of reporting a conflict. */
  force: boolean;
  pruneGuard: PruneGuardOptions;
  /**
   * Whether commit `a` is an ancestor of commit `b` (strictly older on the same line). When
   * given and the parent records an applied commit that `commit` is an ancestor of, the run is
   * skipped: a late, older delivery never overwrites newer configuration.
   */
  isAncestor?: (a: string, b: string) => Promise<boolean>;
  /**
   * Called once the run is known to go ahead (not stale, the set is meshplan's), before anything
   * is written: the rollout records its deployment here. A throw fails the run with nothing applied.
   */
  beforeApply?: () => Promise<void>;
}

export type ObjectAction =
  | "created"
  | "configured"
  | "unchanged"
  | "adopted"
  | "pruned"
  | "failed"
  | "not-attempted";

export interface ObjectRefOut {
  group: string;
  version: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export interface ObjectResult {
  ref: ObjectRefOut;
  action: ObjectAction;
  /** For failures and notable cases, a sentence for people. */
  message?: string;
  failure?: ClusterFailure;
  /** Where the desired object was written; absent for pruned members. */
  file?: string;
  line?: number;
}

export interface PruneOutcome {
  enabled: boolean;
  /** Members no longer desired. */
  candidates: number;
  /** Candidates kept because their kind is never pruned (Namespaces, CRDs). */
  protected: ObjectRefOut[];
  performed: boolean;
  /** Why prune did not run, when it did not. */
  reason?: string;
}

export type SyncStatus = "synced" | "failed" | "skipped";

export interface SyncResult {
  cluster: string;
  status: SyncStatus;
  dryRun: boolean;
  commit: string | null;
  applySetId: string;
  /** A sentence on the whole run: why it failed as a whole, or why it was skipped. */
  reason?: string;
  /** Applies in apply order, then prunes in prune order. */
  objects: ObjectResult[];
  prune: PruneOutcome;
  counts: Record<ObjectAction, number>;
}

export interface Desired {
  resource: Resource;
  info: ResourceInfo;
  /** The object to send: namespace defaulted, membership label set. */
  object: Record<string, unknown>;
  ref: MemberRef & { version: string };
}

const emptyCounts = (): Record<ObjectAction, number> => ({
  created: 0,
  configured: 0,
  unchanged: 0,
  adopted: 0,
  pruned: 0,
  failed: 0,
  "not-attempted": 0,
});

export async function syncCluster(cluster: ClusterPort, input: SyncInput): Promise<SyncResult> {
  const id = setIdOf(input.applySet);
  const result: SyncResult = {
    cluster: cluster.name,
    status: "synced",
    dryRun: input.dryRun,
    commit: input.commit,
    applySetId: id,
    objects: [],
    prune: { enabled: input.prune, candidates: 0, protected: [], performed: false },
    counts: emptyCounts(),
  };
  const finish = (status: SyncStatus, reason?: string): SyncResult => {
    result.status = status;
    if (reason !== undefined) result.reason = reason;
    for (const o of result.objects) result.counts[o.action]++;
    return result;
  };

  try {
    // 1. The parent: whose set it is, and which commit it holds.
    const { parent, annotations: parentAnnotations } = await readParent(cluster, input.applySet);
    const tooling = parentAnnotations[APPLYSET_TOOLING_ANNOTATION];
    if (parent && tooling !== undefined && !tooling.startsWith(`${TOOLING_NAME}/`)) {
      return finish(
        "failed",
        `the ApplySet parent ConfigMap ${input.applySet.namespace}/${input.applySet.name} is managed by ${tooling}, not meshplan; ` +
          "choose another applySet name in meshplan.yaml (KEP-3659: tools must not mutate sets other tools manage)",
      );
    }
    const parentId = stringMap(parent?.metadata["labels"])[APPLYSET_ID_LABEL];
    if (parentId !== undefined && parentId !== id) {
      return finish("failed", `the ConfigMap ${input.applySet.namespace}/${input.applySet.name} carries another ApplySet id; it is not this set's parent`);
    }
    const stale = await staleReason(input.commit, parentAnnotations[APPLIED_COMMIT_ANNOTATION], input.isAncestor);
    if (stale) return finish("skipped", stale);

    const state = await readSetState(cluster, input, id, parentAnnotations);
    const { desired, members } = state;
    result.objects.push(...state.prepareFailures);
    const inventory = diffInventory(members, desired.map((d) => d.ref));
    const memberByKey = new Map(members.map((m) => [memberKey(m), m]));

    await input.beforeApply?.();

    // 3. Widen the parent before any member changes.
    if (!input.dryRun) {
      const everything = [...members, ...desired.map((d) => d.ref)];
      await cluster.apply(parentObject(input, everything, parentAnnotations[APPLIED_COMMIT_ANNOTATION]), { dryRun: false, force: true });
    }

    // 4. Apply.
    const byKey = new Map(desired.map((d) => [memberKey(d.ref), d]));
    const ordered = applyOrder(inventory.toApply.map((ref) => byKey.get(memberKey(ref))!).map((d) => ({ group: d.ref.group, kind: d.ref.kind, d })));
    let unreachable: ClusterFailure | null = null;
    for (const { d } of ordered) {
      const base = { ref: outRef(d.ref), file: d.resource.file, line: d.resource.position.line };
      if (unreachable) {
        result.objects.push({ ...base, action: "not-attempted", message: "not attempted: the cluster stopped answering" });
        continue;
      }
      try {
        result.objects.push({ ...base, ...(await applyOne(cluster, d, memberByKey.get(memberKey(d.ref)), id, input)) });
      } catch (error) {
        const failure = failureOf(error);
        if (failure.reason === "unreachable") unreachable = failure;
        result.objects.push({ ...base, action: "failed", failure, message: explain(failure, d, input) });
      }
    }

    // 5. Prune.
    const candidates = inventory.toPrune;
    result.prune.candidates = candidates.length;
    const kept = candidates.filter((m) => !prunable(m));
    result.prune.protected = kept.map(outRef);
    const toDelete = candidates.filter((m) => prunable(m));
    const failedApplies = result.objects.filter((o) => o.action === "failed" || o.action === "not-attempted").length;
    let pruneBlocked: string | undefined;
    if (!input.prune) result.prune.reason = "prune is off for this cluster";
    else if (candidates.length === 0) result.prune.reason = "nothing to prune";
    else if (input.unreadable.length > 0) {
      pruneBlocked = `${input.unreadable.length} manifest problem(s) kept objects from being read, and their live objects would look removed; prune skipped`;
    } else if (failedApplies > 0) {
      pruneBlocked = `${failedApplies} object(s) did not apply; prune skipped until the whole tree applies`;
    } else {
      const decision = pruneGuard(members.length, toDelete.length, input.pruneGuard);
      if (!decision.allowed) pruneBlocked = decision.reason;
    }
    if (pruneBlocked) result.prune.reason = pruneBlocked;
    const pruned = new Set<string>();
    if (input.prune && !pruneBlocked && toDelete.length > 0) {
      result.prune.performed = true;
      for (const m of pruneOrder(toDelete)) {
        const ref = { apiVersion: m.group ? `${m.group}/${m.version}` : m.version, kind: m.kind, namespace: m.namespace, name: m.name };
        try {
          await cluster.delete(ref, { dryRun: input.dryRun });
          pruned.add(memberKey(m));
          result.objects.push({ ref: outRef(m), action: "pruned" });
        } catch (error) {
          const failure = failureOf(error);
          result.objects.push({ ref: outRef(m), action: "failed", failure, message: `prune failed: ${failure.message}` });
        }
      }
    }

    // 6. Narrow the parent to what the set holds now, and record the commit.
    const failed = result.objects.some((o) => o.action === "failed" || o.action === "not-attempted");
    if (!input.dryRun && !unreachable) {
      const remaining = [...members.filter((m) => !pruned.has(memberKey(m))), ...desired.map((d) => d.ref)];
      const commit = input.commit ?? parentAnnotations[APPLIED_COMMIT_ANNOTATION];
      await cluster.apply(parentObject(input, remaining, commit), { dryRun: false, force: true });
    }
    if (unreachable) return finish("failed", `cluster ${cluster.name} stopped answering: ${unreachable.message}`);
    if (pruneBlocked && input.prune) return finish("failed", pruneBlocked);
    return finish(failed ? "failed" : "synced", failed ? "some objects did not apply; see each object's message" : undefined);
  } catch (error) {
    const failure = failureOf(error);
    return finish("failed", `cluster ${cluster.name}: ${failure.message}`);
  }
}

export interface SetMember extends MemberRef {
  version: string;
  resourceVersion: string | null;
  object: LiveObject;
}

export interface SetState {
  /** Desired objects ready to send: discovered, namespace defaulted, membership label set. */
  desired: Desired[];
  /** Desired objects that cannot be sent (kind not served, membership label set by hand). */
  prepareFailures: ObjectResult[];
  /** The live members: objects carrying the set's part-of label. */
  members: SetMember[];
}

/**
 * The desired objects as they will be sent, and the set's live members, listed by the part-of
 * label for every group-kind the parent lists (contains-group-kinds) and every group-kind desired.
 */
export async function readSetState(
  cluster: ClusterPort,
  input: Pick<SyncInput, "resources" | "defaultNamespace">,
  id: string,
  parentAnnotations: Readonly<Record<string, string>>,
): Promise<SetState> {
  const desired: Desired[] = [];
  const prepareFailures: ObjectResult[] = [];
  const firstByKey = new Map<string, Desired>();
  for (const resource of input.resources) {
    const outcome = await prepare(cluster, resource, id, input.defaultNamespace);
    if ("failure" in outcome) {
      prepareFailures.push(outcome.failure);
      continue;
    }
    const d = outcome.desired;
    const first = firstByKey.get(memberKey(d.ref));
    if (first) {
      // Two manifests for one object: which one the cluster should hold is not meshplan's to guess.
      const message = `declared twice: ${first.resource.file}:${first.resource.position.line} already defines this object; only that one is applied`;
      prepareFailures.push({
        ref: outRef(d.ref),
        action: "failed",
        message,
        failure: { reason: "invalid", message, causes: [] },
        file: resource.file,
        line: resource.position.line,
      });
      continue;
    }
    firstByKey.set(memberKey(d.ref), d);
    desired.push(d);
  }
  const groupKinds = new Map<string, { group: string; kind: string }>();
  for (const gk of parseGroupKinds(parentAnnotations[APPLYSET_CONTAINS_GROUP_KINDS_ANNOTATION] ?? "")) groupKinds.set(`${gk.group}/${gk.kind}`, gk);
  for (const d of desired) groupKinds.set(`${d.ref.group}/${d.ref.kind}`, { group: d.ref.group, kind: d.ref.kind });
  const members: SetMember[] = [];
  for (const gk of groupKinds.values()) {
    const info = await cluster.preferredResource(gk.group, gk.kind);
    if (!info) continue; // no longer served: no members of it can exist
    for (const live of await cluster.list(info, `${APPLYSET_PART_OF_LABEL}=${id}`)) {
      members.push({
        group: info.group,
        version: info.version,
        kind: info.kind,
        namespace: info.namespaced ? (live.metadata.namespace ?? null) : null,
        name: live.metadata.name,
        resourceVersion: typeof live.metadata.resourceVersion === "string" ? live.metadata.resourceVersion : null,
        object: live,
      });
    }
  }
  return { desired, prepareFailures, members };
}

/** The parent's annotations (empty when there is no parent yet). */
export async function readParent(cluster: ClusterPort, applySet: ApplySetLocation): Promise<{ parent: LiveObject | null; annotations: Record<string, string> }> {
  const parent = await cluster.get({ apiVersion: "v1", kind: "ConfigMap", namespace: applySet.namespace, name: applySet.name });
  return { parent, annotations: stringMap(parent?.metadata["annotations"]) };
}

export function setIdOf(applySet: ApplySetLocation): string {
  return applySetId({ name: applySet.name, namespace: applySet.namespace, kind: "ConfigMap", group: "" });
}

/**
 * Why applying `commit` would go backwards, or null when it would not: the set records `applied`
 * and `commit` is a strict ancestor of it. Re-applying the same commit is allowed (a retry).
 */
export async function staleReason(
  commit: string | null,
  applied: string | undefined,
  isAncestor: SyncInput["isAncestor"],
): Promise<string | null> {
  if (commit === null || applied === undefined || applied === commit || !isAncestor) return null;
  if (!(await isAncestor(commit, applied))) return null;
  return `${commit.slice(0, 12)} is older than ${applied.slice(0, 12)}, which the cluster already holds; nothing was applied`;
}

async function prepare(
  cluster: ClusterPort,
  resource: Resource,
  id: string,
  defaultNamespace: string,
): Promise<{ desired: Desired } | { failure: ObjectResult }> {
  const base = {
    ref: { group: resource.group, version: resource.version, kind: resource.kind, namespace: resource.namespace, name: resource.name },
    file: resource.file,
    line: resource.position.line,
  };
  let info: ResourceInfo | null;
  try {
    info = await cluster.resourceFor(resource.apiVersion, resource.kind);
  } catch (error) {
    const failure = failureOf(error);
    return { failure: { ...base, action: "failed", failure, message: failure.message } };
  }
  if (!info) {
    const failure: ClusterFailure = {
      reason: "kind-not-served",
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      message: `${resource.kind} (${resource.apiVersion}) is not served by cluster ${cluster.name}: install its CustomResourceDefinition first`,
    };
    return { failure: { ...base, action: "failed", failure, message: failure.message } };
  }
  const namespace = info.namespaced ? (resource.namespace ?? defaultNamespace) : null;
  const metadata = { ...(resource.object["metadata"] as Record<string, unknown>) };
  if (namespace === null) delete metadata["namespace"];
  else metadata["namespace"] = namespace;
  const membership = withMembership({ ...resource.object, metadata }, id);
  if (!membership.ok) {
    return { failure: { ...base, ref: { ...base.ref, namespace }, action: "failed", message: membership.reason, failure: { reason: "invalid", message: membership.reason, causes: [] } } };
  }
  return {
    desired: {
      resource,
      info,
      object: membership.object,
      ref: { group: info.group, version: resource.version, kind: info.kind, namespace, name: resource.name },
    },
  };
}

async function applyOne(
  cluster: ClusterPort,
  d: Desired,
  member: { resourceVersion: string | null } | undefined,
  id: string,
  input: SyncInput,
): Promise<Pick<ObjectResult, "action" | "message">> {
  let before: LiveObject | null = null;
  if (!member || input.dryRun) {
    // Not a member yet: it may exist already, created by hand or by another set.
    before = await cluster.get({ apiVersion: d.resource.apiVersion, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name });
    const owner = before ? stringMap(before.metadata["labels"])[APPLYSET_PART_OF_LABEL] : undefined;
    if (owner !== undefined && owner !== id) {
      throw new ClusterError({
        reason: "invalid",
        causes: [],
        message: `${d.ref.kind} ${d.ref.namespace ? `${d.ref.namespace}/` : ""}${d.ref.name} belongs to another ApplySet (${owner}); meshplan does not take objects over from other sets`,
      });
    }
  }
  const after = await cluster.apply(d.object, { dryRun: input.dryRun, force: input.force });
  const rvBefore = member?.resourceVersion ?? (typeof before?.metadata.resourceVersion === "string" ? before.metadata.resourceVersion : null);
  const rvAfter = typeof after.metadata.resourceVersion === "string" ? after.metadata.resourceVersion : null;
  if (!member && !before) return { action: "created" };
  if (!member && before) return { action: "adopted", message: "existed already; now a member of meshplan's ApplySet" };
  if (input.dryRun) {
    return sameContent(before, after) ? { action: "unchanged" } : { action: "configured" };
  }
  return rvBefore !== null && rvBefore === rvAfter ? { action: "unchanged" } : { action: "configured" };
}

/** Dry-run answers carry the server's view; the same comparison as the live preview, bookkeeping left out. */
function sameContent(before: LiveObject | null, after: LiveObject): boolean {
  return before !== null && diffObjects(withoutServerFields(before), withoutServerFields(after)).length === 0;
}

function parentObject(input: SyncInput, members: readonly MemberRef[], commit: string | undefined): Record<string, unknown> {
  // Applied whole each time: an annotation left out (no additional namespaces any more, say) is
  // removed by server-side apply because meshplan owned it before.
  return applySetParent({
    name: input.applySet.name,
    namespace: input.applySet.namespace,
    members,
    version: input.version,
    ...(commit !== undefined ? { appliedCommit: commit } : {}),
  });
}

function explain(failure: ClusterFailure, d: Desired, input: SyncInput): string {
  if (failure.reason === "conflict") {
    const fields = failure.conflicts.map((c) => `${c.field} (owned by ${c.manager})`).join(", ");
    return (
      `conflict: ${fields || failure.message}. Another field manager changed these fields since meshplan applied them; ` +
      (input.force ? "force was set and the server still refused" : "set `force: true` for this cluster in meshplan.yaml (or pass --force-conflicts) to take them back")
    );
  }
  if (failure.reason === "invalid" && failure.causes.length > 0) return `${failure.message}: ${failure.causes.join("; ")}`;
  if (failure.reason === "not-found" && d.ref.namespace) return `${failure.message} (does namespace ${d.ref.namespace} exist?)`;
  return failure.message;
}

export function failureOf(error: unknown): ClusterFailure {
  if (error instanceof ClusterError) return error.failure;
  return { reason: "api-error", status: 0, message: error instanceof Error ? error.message : String(error) };
}

function outRef(ref: MemberRef & { version?: string }): ObjectRefOut {
  return { group: ref.group, version: ref.version ?? "", kind: ref.kind, namespace: ref.namespace ?? null, name: ref.name };
}

/** `Kind.group,Kind` → group-kinds; KEP-3659's contains-group-kinds format. */
export function parseGroupKinds(value: string): { group: string; kind: string }[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const dot = s.indexOf(".");
      return dot < 0 ? { group: "", kind: s } : { group: s.slice(dot + 1), kind: s.slice(0, dot) };
    });
}

/** The string entries of a labels or annotations map; anything else is empty. */
export function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === "string") out[k] = v;
  return out;
}
