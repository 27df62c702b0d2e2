/**
 * Cluster connectors: how a job reaches a cluster of meshplan.yaml.
 *
 * - Serverless: the kubeconfig document is a Secrets Manager secret named by the cluster's
 *   `kubeconfigSecret`; only secrets under the deployment's allowed prefix are read, so a
 *   change to meshplan.yaml cannot point the rollout at any other secret the function can see.
 * - `meshplan serve` and the CLI: the local kubeconfig, context `context` (default: the name).
 */
import type { ClusterConfig } from "../../config/meshplan-config.js";
import type { ClusterConnector } from "../../jobs/rollout.js";
import { createKubeCluster, kubeConfigFromFile, kubeConfigFromString } from "./kube-cluster.js";

export interface SecretConnectorOptions {
  readSecret: (secretId: string) => Promise<string>;
  /**
   * Secret names (or ARNs) must start with one of these; the deployment's IAM policy grants
   * exactly these too. Empty: every kubeconfigSecret is refused.
   */
  allowedPrefixes: readonly string[];
}

export function secretKubeconfigConnector(options: SecretConnectorOptions): ClusterConnector {
  return async (cluster: ClusterConfig) => {
    const secret = cluster.kubeconfigSecret;
    if (!secret) throw new Error(`cluster ${cluster.name} has no kubeconfigSecret in meshplan.yaml; the serverless rollout reads its kubeconfig from Secrets Manager`);
    if (!options.allowedPrefixes.some((p) => p !== "" && secret.startsWith(p))) {
      throw new Error(
        `kubeconfigSecret "${secret}" of cluster ${cluster.name} is outside the secrets this deployment may read ` +
          `(${options.allowedPrefixes.filter((p) => p !== "").join(", ") || "none configured"})`,
      );
    }
    const text = await options.readSecret(secret);
    return createKubeCluster(kubeConfigFromString(text, cluster.context), { name: cluster.name });
  };
}

export function localKubeconfigConnector(options: { kubeconfigPath?: string } = {}): ClusterConnector {
  return async (cluster: ClusterConfig) =>
    createKubeCluster(kubeConfigFromFile(options.kubeconfigPath, cluster.context ?? cluster.name), { name: cluster.name });
}
