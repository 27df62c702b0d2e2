import { previewCluster, previewHasChanges, previewRouting } from "../../cluster/live-preview.js";
import { isEmptyRoutingDiff } from "../../routing/diff.js";
import { previewReportJson, renderPreviewMarkdown, renderPreviewText } from "../../report/preview-report.js";
import { colorOption, formatOption, parseCommand } from "../args.js";
import { clusterOptions, clusterOptionsHelp, prepareClusterCommand } from "../cluster-target.js";
import type { CliIo } from "../io.js";

export const diffHelp = `Usage: meshplan diff [PATH...] [--cluster NAME | --context CTX] [options]

Shows what 'meshplan apply' would change in a cluster, asking the API server:
each desired object is applied with a server-side dry run (admission,
defaulting and conflict checks run; nothing is stored) and compared field by
field with the live object. Then the routing of the live objects is compared
with the routing of the predicted ones: which hosts, weights and matches
change for real traffic.

Options:
${clusterOptionsHelp}
      --prune            also list ApplySet members that apply --prune would
                         delete (default: the cluster's prune setting)
      --force-conflicts  preview as if conflicts were forced
  -n, --namespace NS     namespace for manifests that name none
  -f, --format FMT       text (default), markdown, json
  -q, --quiet            no progress on stderr
      --no-color         no ANSI colour (also NO_COLOR=1)
  -h, --help             this help

Exit status (as kubectl diff): 0 no differences, 1 differences (or objects
that would fail), 2 usage, kubeconfig or input error.`;

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("diff", argv, {
    ...clusterOptions,
    prune: { type: "boolean" },
    "force-conflicts": { type: "boolean" },
    namespace: { type: "string", short: "n" },
  });
  if (values.help) {
    io.out(diffHelp);
    return 0;
  }
  const format = formatOption("diff", values.format, ["text", "markdown", "json"]);
  const color = colorOption(values) ?? io.color;
  const { settings, desired, connect } = await prepareClusterCommand("diff", values, positionals, io);
  const cluster = await connect();
  io.progress(`comparing ${desired.resources.length} object(s) with ${cluster.name}`);
  const preview = await previewCluster(cluster, {
    resources: desired.resources,
    applySet: settings.applySet,
    defaultNamespace: settings.namespace,
    prune: values.prune ?? settings.prune,
    force: values["force-conflicts"] ?? settings.force,
  });
  const routing = previewRouting(preview, { defaultNamespace: settings.namespace }).diff;
  if (format === "json") io.out(JSON.stringify(previewReportJson(preview, routing), null, 2));
  else if (format === "markdown") io.out(renderPreviewMarkdown(preview, routing));
  else io.out(renderPreviewText(preview, routing, { color }));
  return previewHasChanges(preview) || !isEmptyRoutingDiff(routing) ? 1 : 0;
}
