/**
 * meshplan.yaml: the repository's check configuration (docs/configuration.md).
 * Parsing is pure: the caller hands over the file's bytes (from the BASE
 * revision in a PR check). A bad setting becomes a finding at its line and
 * falls back to its default; the rest of the configuration still applies.
 */
import { isNode, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { findingInFile, formatPath, type Finding } from "../findings.js";
import type { FieldPath, SourceFile, SourcePosition } from "../manifests/types.js";
import { configCodes } from "./config-codes.js";

export const CONFIG_FILE = "meshplan.yaml";
/** The policy pack that ships with meshplan (policies/ in the package). */
export const DEFAULT_PACK = "@default";

const severity = z.enum(["error", "warning", "info"]);

const ruleSetting = z.union([
  z.literal("off"),
  severity,
  z.strictObject({ severity: severity.optional(), enabled: z.boolean().optional() }),
]);

const exemption = z.strictObject({
  /** Finding codes (MP1001) or policy names this exemption silences. */
  codes: z.array(z.string().min(1)).min(1),
  /** Why: required, it is shown next to every silenced finding. */
  reason: z.string().min(1),
  /** Limit to these namespaces / kinds / names / file paths (globs with `*`). All given must match. */
  namespaces: z.array(z.string()).optional(),
  kinds: z.array(z.string()).optional(),
  names: z.array(z.string()).optional(),
  paths: z.array(z.string()).optional(),
});

/** Kubernetes object names: DNS-1123 subdomain for the ApplySet parent, label for its namespace. */
const dnsSubdomain = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, "must be a lowercase DNS-1123 name");
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a lowercase DNS-1123 label");

const cluster = z.strictObject({
  /** The cluster's name: the deployment environment, the drift issue title, the queue group. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "use letters, digits, '.', '_' and '-' (at most 63)"),
  /** kubeconfig context the CLI uses for this cluster (default: the name). */
  context: z.string().min(1).optional(),
  /** Manifest paths applied to this cluster, inside `manifests` (default: all of them). */
  paths: z.array(z.string().min(1)).default([]),
  /** Secrets Manager secret (name or ARN) holding this cluster's kubeconfig, for the serverless rollout. */
  kubeconfigSecret: z.string().min(1).optional(),
  /** Namespace for manifests that name none. */
  namespace: dnsLabel.default("default"),
  /** Delete members of meshplan's ApplySet that are no longer in git. */
  prune: z.boolean().default(false),
  /** Largest share of the set one rollout may prune without confirmation (the prune guard). */
  pruneMaxShare: z.number().min(0).max(1).default(0.5),
  /** Take fields back from other field managers on conflict (server-side apply `force`). */
  force: z.boolean().default(false),
  /** Drift detection: report drift, or correct it by re-applying. */
  driftPolicy: z.enum(["report", "correct"]).default("report"),
  /** The ApplySet parent ConfigMap; its name fixes the set's id, so repositories sharing a cluster need distinct names. */
  applySet: z
    .strictObject({ name: dnsSubdomain.default("meshplan"), namespace: dnsLabel.default("default") })
    .default({ name: "meshplan", namespace: "default" }),
});

export const meshplanConfigSchema = z.strictObject({
  /** Manifest files or directories, relative to the repository root. */
  manifests: z.array(z.string().min(1)).default(["."]),
  /** Policy directories relative to the root; `@default` is the pack bundled with meshplan. */
  policies: z.array(z.string().min(1)).default([DEFAULT_PACK, "policies"]),
  /** Hosts routed to but managed elsewhere: not "host not found" (wildcards `*.example.com`). */
  externalHosts: z.array(z.string().min(1)).default([]),
  /** Per-code severity override or "off". */
  rules: z.record(z.string(), ruleSetting).default({}),
  exemptions: z.array(exemption).default([]),
  clusters: z
    .array(cluster)
    .default([])
    .refine((list) => new Set(list.map((c) => c.name)).size === list.length, "cluster names must be unique"),
});

export type MeshplanConfig = z.infer<typeof meshplanConfigSchema>;
export type Exemption = z.infer<typeof exemption>;
export type ClusterConfig = z.infer<typeof cluster>;

export interface LoadedConfig {
  config: MeshplanConfig;
  /** The file it came from; null when the repository has none (all defaults). */
  file: string | null;
  /** The raw bytes' text, to tell whether two revisions' configurations differ. */
  text: string | null;
  findings: Finding[];
  /** Top-level settings the file sets explicitly (the rest are defaults). */
  explicit: ReadonlySet<string>;
  /** Line/column of a setting, for findings about it. */
  locate(path: FieldPath): SourcePosition | null;
}

export function defaultConfig(): MeshplanConfig {
  return meshplanConfigSchema.parse({});
}

export function loadConfig(file: SourceFile | null): LoadedConfig {
  if (!file) return { config: defaultConfig(), file: null, text: null, findings: [], explicit: new Set(), locate: () => null };
  const text = typeof file.content === "string" ? file.content : new TextDecoder("utf-8").decode(file.content);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const locate = (path: FieldPath): SourcePosition | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return at(node.range[0]);
    }
    return null;
  };
  const findings: Finding[] = [];
  const bad = (message: string, pos: SourcePosition | null, path?: FieldPath) =>
    findings.push({
      ...findingInFile(file.path, pos ?? { line: 1, column: 1 }, {
        code: configCodes.invalidConfig.code,
        severity: configCodes.invalidConfig.severity,
        message,
        hint: "See docs/configuration.md for the settings meshplan.yaml accepts.",
      }),
      path: path && path.length ? formatPath(path) : null,
    });

  if (doc.errors.length > 0) {
    for (const e of doc.errors) bad(`meshplan.yaml: ${e.message.split("\n")[0]}; using the default configuration`, at(e.pos[0]));
    return { config: defaultConfig(), file: file.path, text, findings, explicit: new Set(), locate };
  }
  let raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    bad("meshplan.yaml must be a mapping of settings; using the default configuration", at(0));
    return { config: defaultConfig(), file: file.path, text, findings, explicit: new Set(), locate };
  }
  const explicit = new Set(Object.keys(raw as object));
  const first = meshplanConfigSchema.safeParse(raw);
  if (first.success) return { config: first.data, file: file.path, text, findings, explicit, locate };

  // Report every problem at its line, then drop the settings that have one so they take their defaults.
  const dropped = new Set<string>();
  for (const issue of first.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    if (keys.length && path.length === 0) {
      for (const k of keys) {
        bad(`meshplan.yaml: unknown setting "${k}"; it is ignored`, locate([k]), [k]);
        dropped.add(k);
      }
      continue;
    }
    bad(`meshplan.yaml ${formatPath(path) || "(root)"}: ${issue.message}; the setting falls back to its default`, locate(path), path);
    if (path.length) dropped.add(String(path[0]));
  }
  const kept = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([k]) => !dropped.has(k)));
  const second = meshplanConfigSchema.safeParse(kept);
  return { config: second.success ? second.data : defaultConfig(), file: file.path, text, findings, explicit, locate };
}
