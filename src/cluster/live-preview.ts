/**
 * Live preview: what applying the desired objects would change in a cluster,
 * asked of the API server itself. Each desired object is applied with
 * `dryRun=All` (admission, defaulting and conflict detection run; nothing is
 * stored) and compared field by field with the live object; ApplySet members
 * no longer desired are listed as prunes. The routing of the live objects and
 * of the predicted ones is computed by the same engines as a plan, so the
 * preview says what traffic would do, not only which fields change.
 */
import type { Resource } from "../manifests/types.js";
import { analyzeTree } from "../jobs/analyze-tree.js";
import { diffRouting, type RoutingDiff } from "../routing/diff.js";
import type { RoutingTable } from "../routing/types.js";
import { APPLYSET_PART_OF_LABEL, memberKey } from "./apply-set.js";
import type { ClusterFailure, ClusterPort, LiveObject } from "./cluster-port.js";
import { liveSourceFiles } from "./live-files.js";
import { diffObjects, withoutServerFields, type FieldChange } from "./object-diff.js";
import { failureOf, readParent, readSetState, setIdOf, stringMap, type ApplySetLocation, type ObjectRefOut } from "./sync.js";

export type PreviewChange = "create" | "update" | "unchanged" | "prune" | "failed";

export interface PreviewObject {
  ref: ObjectRefOut;
  change: PreviewChange;
  /** Field changes, live → predicted; empty for create, prune and unchanged. */
  fields: FieldChange[];
  message?: string;
  failure?: ClusterFailure;
  file?: string;
  line?: number;
}

export interface PreviewInput {
  resources: readonly Resource[];
  applySet: ApplySetLocation;
  defaultNamespace: string;
  /** Whether members no longer desired would be pruned. */
  prune: boolean;
  force: boolean;
}

export interface LivePreview {
  cluster: string;
  applySetId: string;
  objects: PreviewObject[];
  /** The live objects the preview looked at: set members and the live versions of desired objects. */
  live: LiveObject[];
  /** The same set after the apply (dry-run answers) and the prune. */
  predicted: LiveObject[];
  /** Members no longer desired that stay because prune is off. */
  kept: number;
}

export async function previewCluster(cluster: ClusterPort, input: PreviewInput): Promise<LivePreview> {
  const id = setIdOf(input.applySet);
  const { annotations } = await readParent(cluster, input.applySet);
  const state = await readSetState(cluster, input, id, annotations);
  const objects: PreviewObject[] = state.prepareFailures.map((f) => ({
    ref: f.ref,
    change: "failed",
    fields: [],
    ...(f.message !== undefined ? { message: f.message } : {}),
    ...(f.failure ? { failure: f.failure } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
  }));
  const membersByKey = new Map(state.members.map((m) => [memberKey(m), m]));
  const live = new Map<string, LiveObject>(state.members.map((m) => [memberKey(m), m.object]));
  const predicted = new Map(live);
  const desiredKeys = new Set<string>();

  for (const d of state.desired) {
    const key = memberKey(d.ref);
    desiredKeys.add(key);
    const ref: ObjectRefOut = { group: d.ref.group, version: d.ref.version, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name };
    const where = { file: d.resource.file, line: d.resource.position.line };
    try {
      const before =
        membersByKey.get(key)?.object ??
        (await cluster.get({ apiVersion: d.resource.apiVersion, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name }));
      const owner = before && !membersByKey.has(key) ? stringMap(before.metadata["labels"])[APPLYSET_PART_OF_LABEL] : undefined;
      if (owner !== undefined && owner !== id) {
        // The apply itself refuses these (sync.ts); the preview says so instead of showing a takeover.
        objects.push({ ref, change: "failed", fields: [], message: `belongs to another ApplySet (${owner}); meshplan does not take objects over from other sets`, ...where });
        continue;
      }
      const after = await cluster.apply(d.object, { dryRun: true, force: input.force });
      if (before) live.set(key, before);
      predicted.set(key, after);
      if (!before) {
        objects.push({ ref, change: "create", fields: [], ...where });
        continue;
      }
      const fields = diffObjects(withoutServerFields(before), withoutServerFields(after));
      objects.push({ ref, change: fields.length ? "update" : "unchanged", fields, ...where });
    } catch (error) {
      const failure = failureOf(error);
      const message =
        failure.reason === "conflict"
          ? `would conflict with ${[...new Set(failure.conflicts.map((c) => c.manager))].join(", ")} on ${failure.conflicts.map((c) => c.field).join(", ")}`
          : failure.message;
      objects.push({ ref, change: "failed", fields: [], failure, message, ...where });
    }
  }

  let kept = 0;
  for (const m of state.members) {
    const key = memberKey(m);
    if (desiredKeys.has(key)) continue;
    if (!input.prune) {
      kept++;
      continue;
    }
    predicted.delete(key);
    objects.push({ ref: { group: m.group, version: m.version, kind: m.kind, namespace: m.namespace, name: m.name }, change: "prune", fields: [] });
  }
  return { cluster: cluster.name, applySetId: id, objects, live: [...live.values()], predicted: [...predicted.values()], kept };
}

/** The routing the live objects produce and the routing the predicted ones would, and the difference. */
export function previewRouting(preview: Pick<LivePreview, "live" | "predicted">, options: { defaultNamespace?: string } = {}): {
  live: RoutingTable;
  predicted: RoutingTable;
  diff: RoutingDiff;
} {
  const analyze = (objects: readonly LiveObject[], origin: string) =>
    analyzeTree(liveSourceFiles(objects, origin), options.defaultNamespace ? { defaultNamespace: options.defaultNamespace } : {}).table;
  const live = analyze(preview.live, "live");
  const predicted = analyze(preview.predicted, "desired");
  return { live, predicted, diff: diffRouting(live, predicted) };
}

export function previewHasChanges(preview: LivePreview): boolean {
  return preview.objects.some((o) => o.change !== "unchanged");
}

