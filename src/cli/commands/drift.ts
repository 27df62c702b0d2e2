import { cleanHeadCommit } from "../../adapters/git/git-tree.js";
import { checkDrift, type DriftCheck } from "../../cluster/check-drift.js";
import { renderDriftMarkdown, renderDriftText } from "../../cluster/drift.js";
import { isEmptyRoutingDiff } from "../../routing/diff.js";
import { renderRoutingDiffMarkdown } from "../../report/markdown.js";
import { renderSyncMarkdown, renderSyncText } from "../../report/sync-report.js";
import { renderRoutingDiffText } from "../../report/text.js";
import { MESHPLAN_VERSION } from "../../version.js";
import { colorOption, formatOption, parseCommand } from "../args.js";
import { clusterOptions, clusterOptionsHelp, prepareClusterCommand } from "../cluster-target.js";
import type { CliIo } from "../io.js";

export const DRIFT_REPORT_SCHEMA = "meshplan.io/drift/v1";

export const driftHelp = `Usage: meshplan drift [PATH...] [--cluster NAME | --context CTX] [options]

Compares a cluster with the manifests under PATH: objects missing from the
cluster, members of meshplan's ApplySet no longer in git, and every field
meshplan applies whose live value differs, with the field manager that
changed it (from managedFields). Fields the API server fills in (defaults,
status) never count. Then the routing of the live objects is compared with
the routing git describes.

Options:
${clusterOptionsHelp}
      --correct          re-apply the desired state with force (taking
                         meshplan's fields back) when there is drift
  -n, --namespace NS     namespace for manifests that name none
  -f, --format FMT       text (default), markdown, json
  -q, --quiet            no progress on stderr
      --no-color         no ANSI colour (also NO_COLOR=1)
  -h, --help             this help

Exit status: 0 no drift (or drift corrected), 1 drift found (or the
correction failed), 2 usage, kubeconfig, input error or an unreachable cluster.`;

export async function driftCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("drift", argv, {
    ...clusterOptions,
    correct: { type: "boolean" },
    namespace: { type: "string", short: "n" },
  });
  if (values.help) {
    io.out(driftHelp);
    return 0;
  }
  const format = formatOption("drift", values.format, ["text", "markdown", "json"]);
  const color = colorOption(values) ?? io.color;
  const { root, settings, desired, connect } = await prepareClusterCommand("drift", values, positionals, io);
  const cluster = await connect();
  io.progress(`checking ${desired.resources.length} object(s) against ${cluster.name}`);
  const check = await checkDrift(cluster, {
    ...desired,
    applySet: settings.applySet,
    defaultNamespace: settings.namespace,
    commit: await cleanHeadCommit(root),
    version: MESHPLAN_VERSION,
    policy: values.correct ? "correct" : "report",
    prune: settings.prune,
    pruneMaxShare: settings.pruneMaxShare,
  });
  io.out(renderCheck(check, format, color));
  return driftExitCode(check);
}

export function driftExitCode(check: DriftCheck): number {
  if (check.status !== "checked") return 2;
  if (check.report.clean) return 0;
  return check.correction?.status === "synced" ? 0 : 1;
}

function renderCheck(check: DriftCheck, format: string, color: boolean): string {
  if (format === "json") return JSON.stringify({ schema: DRIFT_REPORT_SCHEMA, ...check }, null, 2);
  if (check.status !== "checked") return `could not check ${check.cluster}: ${check.message}\n`;
  const out: string[] = [];
  if (format === "markdown") {
    out.push(renderDriftMarkdown(check.report, { cluster: check.cluster }));
    if (!isEmptyRoutingDiff(check.routing)) out.push("### Routing, live → desired", "", renderRoutingDiffMarkdown(check.routing));
    if (check.correction) out.push(renderSyncMarkdown(check.correction));
  } else {
    out.push(renderDriftText(check.report).trimEnd());
    if (!isEmptyRoutingDiff(check.routing)) out.push("", "Routing (live → desired)", renderRoutingDiffText(check.routing, { color }).trimEnd());
    if (check.correction) out.push("", "Correction", renderSyncText(check.correction).trimEnd());
  }
  for (const p of check.problems) out.push(`not compared: ${p}`);
  return `${out.join("\n")}\n`;
}
