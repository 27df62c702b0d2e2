import { analyzeTree } from "../../jobs/analyze-tree.js";
import { renderTraceJson } from "../../report/json.js";
import { renderTraceMarkdown } from "../../report/markdown.js";
import { renderTraceText } from "../../report/text.js";
import { requestFrom, traceRequest } from "../../routing/trace.js";
import { colorOption, formatOption, parseCommand } from "../args.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { readManifestFiles } from "../trees.js";

export const traceHelp = `Usage: meshplan trace [PATH...] --host HOST [--port N] [--path P[?QUERY]]
                     [--method M] [--header NAME=VALUE]... [--source-labels K=V,...]
                     [--from NAMESPACE/SERVICEACCOUNT] [--gateway NS/NAME | --ingress CLASS]
                     [--format text|markdown|json]

Answers where one request goes with the manifests under PATH (default: .):
which rule matches it, which backends receive it and with what share, the
timeout/retries/fault/mirror that apply, and whether access policy
(Istio AuthorizationPolicy, SMI TrafficTarget) lets the caller in.

Options:
      --host HOST          host the request is sent to; a short name resolves in
                           the --from namespace (else "default")
      --port N             destination port
      --path P             path, may carry a query string matched by query rules
      --method M           HTTP method (default GET)
      --header N=V         request header, repeatable (names are case-insensitive)
      --source-labels K=V,...  labels of the calling workload (Istio sourceLabels)
      --from NS/SA         calling identity: namespace and service account
      --gateway NS/NAME    trace north-south traffic entering through this gateway
      --ingress CLASS      trace traffic entering through this ingress class
  -f, --format FMT         text (default), markdown, json
  -q, --quiet              no progress on stderr
      --no-color           no ANSI colour (also NO_COLOR=1)
  -h, --help               this help

Exit status: 0 routed and allowed, 1 denied or no route, 2 usage or input error.`;

function keyValues(command: string, flag: string, items: string[], sep: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf(sep);
    if (i <= 0) throw new UsageError(`${flag} expects NAME${sep}VALUE, got "${item}"`, command);
    out[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return out;
}

export async function traceCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("trace", argv, {
    host: { type: "string" },
    port: { type: "string" },
    path: { type: "string" },
    method: { type: "string" },
    header: { type: "string", multiple: true },
    "source-labels": { type: "string" },
    from: { type: "string" },
    gateway: { type: "string" },
    ingress: { type: "string" },
  });
  if (values.help) {
    io.out(traceHelp);
    return 0;
  }
  const format = formatOption("trace", values.format, ["text", "markdown", "json"]);
  const color = colorOption(values) ?? io.color;
  if (!values.host) throw new UsageError("--host is required", "trace");
  let port: number | null = null;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be 1-65535, not "${values.port}"`, "trace");
  }
  let from: { namespace: string; serviceAccount: string } | null = null;
  if (values.from !== undefined) {
    const m = /^([a-z0-9-.]+)\/([a-z0-9-.]+)$/.exec(values.from);
    if (!m) throw new UsageError(`--from expects NAMESPACE/SERVICEACCOUNT, got "${values.from}"`, "trace");
    from = { namespace: m[1]!, serviceAccount: m[2]! };
  }
  if (values.gateway && values.ingress) throw new UsageError("use either --gateway or --ingress, not both", "trace");
  if (values.gateway && !/^[^/]+\/[^/]+$/.test(values.gateway)) throw new UsageError(`--gateway expects NS/NAME, got "${values.gateway}"`, "trace");
  const attachment = values.gateway ? `gateway:${values.gateway}` : values.ingress ? `ingress:${values.ingress}` : "mesh";
  const sourceLabels = values["source-labels"] ? keyValues("trace", "--source-labels", values["source-labels"].split(","), "=") : {};

  const req = requestFrom({
    host: values.host,
    port,
    path: values.path ?? "/",
    method: values.method ?? "GET",
    headers: keyValues("trace", "--header", values.header ?? [], "="),
    sourceLabels,
    from,
    attachment,
  });

  const files = await readManifestFiles(io.cwd, positionals);
  io.progress(`read ${files.length} files`);
  const analysis = analyzeTree(files);
  const result = traceRequest(analysis.model, analysis.table, req);
  io.out(format === "json" ? renderTraceJson(result) : format === "markdown" ? renderTraceMarkdown(result) : renderTraceText(result, { color }));
  return result.allowed && result.noRoute === null ? 0 : 1;
}
