/**
 * Which cluster a cluster command (apply, diff, drift) talks to, and with which settings:
 * `--cluster NAME` picks an entry of meshplan.yaml; `--context CTX` a kubeconfig context,
 * whose meshplan.yaml entry (matched by its `context`, or by name) supplies the settings when
 * there is one; neither means the kubeconfig's current context with default settings.
 */
import type { ClusterPort } from "../cluster/cluster-port.js";
import { meshplanConfigSchema, type ClusterConfig, type MeshplanConfig } from "../config/meshplan-config.js";
import { InputError, UsageError } from "./errors.js";

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
