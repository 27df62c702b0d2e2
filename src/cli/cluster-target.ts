/**
 * Which cluster a cluster command (apply, diff, drift) talks to, and with which settings:
 * `--cluster NAME` picks an entry of meshplan.yaml; `--context CTX` a kubeconfig context,
 * whose meshplan.yaml entry (matched by its `context`, or by name) supplies the settings when
 * there is one; neither means the kubeconfig's current context with default settings.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ClusterPort } from "../cluster/cluster-port.js";
import { CONFIG_FILE, loadConfig, meshplanConfigSchema, type ClusterConfig, type MeshplanConfig } from "../config/meshplan-config.js";
import { desiredForCluster } from "../jobs/rollout.js";
import { InputError, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { readDiskTree } from "./trees.js";

export const clusterOptions = {
  cluster: { type: "string" },
  context: { type: "string" },
  kubeconfig: { type: "string" },
  root: { type: "string" },
} as const;

export const clusterOptionsHelp = `      --cluster NAME     a cluster of meshplan.yaml: its context, paths and settings
      --context CTX      kubeconfig context (default: the cluster's, else the current one)
      --kubeconfig FILE  kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --root DIR         repository root holding meshplan.yaml (default: .)`;

export interface ClusterTarget {
  /** The settings: the meshplan.yaml entry, or defaults named after the context. */
  settings: ClusterConfig;
  /** The kubeconfig context to use; undefined for the current one. */
  context: string | undefined;
  /** Whether the settings come from meshplan.yaml. */
  configured: boolean;
}

/** Defaults for a cluster meshplan.yaml does not list. */
export function defaultClusterSettings(name: string): ClusterConfig {
  return meshplanConfigSchema.parse({ clusters: [{ name: sanitizeName(name) }] }).clusters[0]!;
}

export function clusterTarget(command: string, config: MeshplanConfig, values: { cluster?: string; context?: string }): ClusterTarget {
  if (values.cluster !== undefined) {
    const entry = config.clusters.find((c) => c.name === values.cluster);
    if (!entry) {
      const known = config.clusters.map((c) => c.name);
      throw new UsageError(
        `meshplan.yaml has no cluster "${values.cluster}"${known.length ? ` (it lists ${known.join(", ")})` : " (it lists none)"}`,
        command,
      );
    }
    return { settings: entry, context: values.context ?? entry.context ?? entry.name, configured: true };
  }
  if (values.context !== undefined) {
    const entry = config.clusters.find((c) => (c.context ?? c.name) === values.context);
    if (entry) return { settings: entry, context: values.context, configured: true };
    return { settings: defaultClusterSettings(values.context), context: values.context, configured: false };
  }
  return { settings: defaultClusterSettings("current-context"), context: undefined, configured: false };
}

/** Connects with the kube adapter, turning kubeconfig problems into input errors (exit 2). */
export async function connectTarget(target: ClusterTarget, kubeconfig: string | undefined): Promise<ClusterPort> {
  const { createKubeCluster, kubeConfigFromFile } = await import("../adapters/kube/kube-cluster.js");
  try {
    const kc = kubeConfigFromFile(kubeconfig, target.context);
    const name = target.configured ? target.settings.name : kc.getCurrentContext();
    return createKubeCluster(kc, { name });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function sanitizeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 63);
  return cleaned === "" ? "cluster" : cleaned;
}

export interface ClusterCommandValues {
  cluster?: string;
  context?: string;
  kubeconfig?: string;
  root?: string;
  namespace?: string;
}

/**
 * What apply, diff and drift share: meshplan.yaml at the root (its problems as progress), the
 * target cluster and its settings (PATH arguments and --namespace override the cluster's), and
 * the desired objects. Connecting is left to the caller, after its own argument checks.
 */
export async function prepareClusterCommand(command: string, values: ClusterCommandValues, positionals: readonly string[], io: CliIo) {
  const root = resolve(values.root ?? io.cwd);
  const configText = await readFile(resolve(root, CONFIG_FILE)).catch(() => null);
  const loaded = loadConfig(configText ? { path: CONFIG_FILE, content: configText } : null);
  for (const f of loaded.findings) io.progress(`${f.file}:${f.line}: ${f.message}`);
  const target = clusterTarget(command, loaded.config, values);
  const settings: ClusterConfig = {
    ...target.settings,
    ...(positionals.length ? { paths: [...positionals] } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
  };
  const tree = await readDiskTree(root, [], root);
  const desired = desiredForCluster(tree.files, settings, loaded.config);
  for (const f of desired.unreadable) io.progress(`${f.file}:${f.line}: ${f.message}`);
  return { root, target, settings, desired, connect: () => connectTarget(target, values.kubeconfig) };
}
