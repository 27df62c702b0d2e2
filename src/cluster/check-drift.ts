/**
 * One drift check of one cluster: read the ApplySet's live members and the
 * live versions of the desired objects through the port, compare them with
 * git (drift.ts), and compute the routing of live vs desired with the same
 * engines and diff as a pull request's plan. With `driftPolicy: correct`, the
 * desired state is applied again with force (sync.ts), taking meshplan's
 * fields back from whoever changed them.
 */
import type { RoutingDiff } from "../routing/diff.js";
import { memberKey } from "./apply-set.js";
import type { ClusterPort, LiveObject } from "./cluster-port.js";
import { drift, type DriftReport } from "./drift.js";
import { previewRouting } from "./live-preview.js";
import { failureOf, readParent, readSetState, setIdOf, syncCluster, type SyncInput, type SyncResult } from "./sync.js";

/** What a sync of the same objects takes (`commit`: the default branch's head), and how to treat drift. */
export interface DriftCheckInput extends Pick<SyncInput, "resources" | "unreadable" | "applySet" | "defaultNamespace" | "commit" | "version"> {
  policy: "report" | "correct";
  /** For `correct`: whether unexpected members may be pruned (the cluster's prune setting). */
  prune: boolean;
  pruneMaxShare: number;
}

export type DriftCheck =
  | {
      cluster: string;
      status: "checked";
      commit: string | null;
      report: DriftReport;
      /** Routing of the live objects → routing of the desired ones. */
      routing: RoutingDiff;
      /** Desired objects the check could not compare (kind not served, declared twice). */
      problems: string[];
      /** Set when the policy is `correct` and there was drift to correct. */
      correction: SyncResult | null;
    }
  | { cluster: string; status: "unreachable" | "error"; commit: string | null; message: string };

export async function checkDrift(cluster: ClusterPort, input: DriftCheckInput): Promise<DriftCheck> {
  const id = setIdOf(input.applySet);
  try {
    const { annotations } = await readParent(cluster, input.applySet);
    const state = await readSetState(cluster, input, id, annotations);
    const members = new Map(state.members.map((m) => [memberKey(m), m.object]));
    const live = new Map<string, LiveObject>();
    for (const d of state.desired) {
      const key = memberKey(d.ref);
      const found = members.get(key) ?? (await cluster.get({ apiVersion: d.resource.apiVersion, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name }));
      if (found) live.set(key, found);
    }
    const report = drift({
      desired: state.desired.map((d) => ({
        ref: { apiVersion: d.resource.apiVersion, kind: d.ref.kind, namespace: d.ref.namespace, name: d.ref.name, group: d.ref.group },
        object: d.object,
        file: d.resource.file,
        line: d.resource.position.line,
      })),
      members: state.members.map((m) => m.object),
      live,
      applySetId: id,
      fieldManager: cluster.fieldManager,
    });
    const liveSet = new Map(members);
    for (const [k, v] of live) liveSet.set(k, v);
    const desiredObjects = state.desired.map((d) => d.object as LiveObject);
    // The same live → desired routing comparison as the preview of an apply.
    const routing = previewRouting({ live: [...liveSet.values()], predicted: desiredObjects }, { defaultNamespace: input.defaultNamespace }).diff;
    const problems = state.prepareFailures.map((f) => `${f.ref.kind} ${f.ref.namespace ? `${f.ref.namespace}/` : ""}${f.ref.name}: ${f.message ?? "not compared"}`);

    let correction: SyncResult | null = null;
    // Re-applying fixes changed and missing objects; unexpected members go only by prune.
    const correctable = report.counts.drifted + report.counts.missing > 0 || (input.prune && report.counts.unexpected > 0);
    if (input.policy === "correct" && correctable) {
      correction = await syncCluster(cluster, {
        resources: input.resources,
        unreadable: input.unreadable,
        applySet: input.applySet,
        defaultNamespace: input.defaultNamespace,
        commit: input.commit,
        version: input.version,
        dryRun: false,
        prune: input.prune,
        force: true,
        pruneGuard: { maxShare: input.pruneMaxShare, confirmed: false },
      });
    }
    return { cluster: cluster.name, status: "checked", commit: input.commit, report, routing, problems, correction };
  } catch (error) {
    const failure = failureOf(error);
    return {
      cluster: cluster.name,
      status: failure.reason === "unreachable" ? "unreachable" : "error",
      commit: input.commit,
      message: failure.message,
    };
  }
}

