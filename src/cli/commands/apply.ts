import { cleanHeadCommit, isAncestorCommit } from "../../adapters/git/git-tree.js";
import { syncCluster } from "../../cluster/sync.js";
import { renderSyncMarkdown, renderSyncText, syncExitCode, syncReportJson } from "../../report/sync-report.js";
import { MESHPLAN_VERSION } from "../../version.js";
import { formatOption, parseCommand } from "../args.js";
import { clusterOptions, clusterOptionsHelp, prepareClusterCommand } from "../cluster-target.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";

export const applyHelp = `Usage: meshplan apply [PATH...] [--cluster NAME | --context CTX] [options]

Makes a cluster hold the manifests under PATH (default: the cluster's paths in
meshplan.yaml, else the whole repository): server-side apply as field manager
"meshplan", in dependency order (Namespaces, CRDs, config, Services, workloads,
DestinationRules and gateways, then routes and policies). Every object joins
meshplan's ApplySet (KEP-3659; kubectl apply --prune --applyset understands
it). With --prune, members that are no longer in the tree are deleted, routes
first; Namespaces and CRDs never are.

Options:
${clusterOptionsHelp}
      --dry-run          server-side dry run: the API server validates and
                         defaults every object and stores nothing
      --prune            delete ApplySet members no longer in the tree
                         (default: the cluster's prune setting, else off)
      --confirm-prune    allow a prune of more than the cluster's
                         pruneMaxShare (default 50%) of the set, or all of it
      --force-conflicts  take back fields another field manager changed
                         (default: the cluster's force setting, else off)
  -n, --namespace NS     namespace for manifests that name none
                         (default: the cluster's namespace, else "default")
  -f, --format FMT       text (default, one line per object), markdown, json
  -q, --quiet            no progress on stderr
  -h, --help             this help

The commit is recorded on the ApplySet when the working tree is a clean git
checkout; applying a commit older than the recorded one is refused.

Exit status: 0 applied (or skipped as older), 1 an object failed or prune was
refused, 2 usage, kubeconfig or input error.`;

export async function applyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("apply", argv, {
    ...clusterOptions,
    "dry-run": { type: "boolean" },
    prune: { type: "boolean" },
    "confirm-prune": { type: "boolean" },
    "force-conflicts": { type: "boolean" },
    namespace: { type: "string", short: "n" },
  });
  if (values.help) {
    io.out(applyHelp);
    return 0;
  }
  const format = formatOption("apply", values.format, ["text", "markdown", "json"]);
  const { root, settings, desired, connect } = await prepareClusterCommand("apply", values, positionals, io);
  const prune = values.prune ?? settings.prune;
  // A cluster whose meshplan.yaml entry sets `prune: true` prunes without --prune, so confirming makes sense there too.
  if (values["confirm-prune"] && !prune) {
    throw new UsageError("--confirm-prune only makes sense with --prune", "apply");
  }
  const cluster = await connect();
  const commit = await cleanHeadCommit(root);
  const dryRun = values["dry-run"] === true;
  io.progress(
    `${dryRun ? "dry-run applying" : "applying"} ${desired.resources.length} object(s) to ${cluster.name}` +
      (commit ? ` from ${commit.slice(0, 12)}` : " from the working tree"),
  );
  const result = await syncCluster(cluster, {
    ...desired,
    applySet: settings.applySet,
    defaultNamespace: settings.namespace,
    commit,
    version: MESHPLAN_VERSION,
    dryRun,
    prune,
    force: values["force-conflicts"] ?? settings.force,
    pruneGuard: { maxShare: settings.pruneMaxShare, confirmed: values["confirm-prune"] === true },
    isAncestor: (a, b) => isAncestorCommit(root, a, b),
  });
  if (format === "json") io.out(JSON.stringify(syncReportJson([result]), null, 2));
  else if (format === "markdown") io.out(renderSyncMarkdown(result));
  else io.out(renderSyncText(result));
  return syncExitCode([result]);
}
