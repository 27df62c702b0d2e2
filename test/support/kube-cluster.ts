/** meshplan's real cluster adapter (@kubernetes/client-node) connected to Kubernetes API doubles. */
import { createKubeCluster, kubeConfigFromFile } from "../../src/adapters/kube/kube-cluster.js";
import type { ClusterPort } from "../../src/cluster/cluster-port.js";
import type { ClusterConnector } from "../../src/jobs/rollout.js";
import { meshCrds, startKubeDouble, type CrdDefinition, type KubeDouble } from "./kube-double/index.js";

/** The adapter on a double, retrying `retries` times with millisecond back-off so failing tests stay quick. */
export function doubleCluster(double: KubeDouble, name: string, retries = 2): ClusterPort {
  return createKubeCluster(kubeConfigFromFile(double.kubeconfigPath), { name, retry: { retries, minTimeoutMs: 1, maxTimeoutMs: 5 } });
}

/** Connects a cluster of meshplan.yaml to the double started under its name, as localKubeconfigConnector does to a context. */
export function doubleConnector(doubles: Record<string, KubeDouble>, retries = 2): ClusterConnector {
  return async (cluster) => {
    const double = doubles[cluster.name];
    if (!double) throw new Error(`no kubeconfig context for cluster ${cluster.name}`);
    return doubleCluster(double, cluster.name, retries);
  };
}

export interface KubeClusterOptions {
  /** The cluster's name in results; "test" unless told. */
  name?: string;
  /** The CRDs the double serves; the mesh CRDs (Istio, SMI, OSM, Gateway API) unless told. */
  crds?: CrdDefinition[];
  retries?: number;
}

/** A fresh double and the adapter on it; disposing closes the double. */
export async function startKubeCluster(options: KubeClusterOptions = {}) {
  const double = await startKubeDouble({ crds: options.crds ?? meshCrds() });
  const cluster = doubleCluster(double, options.name ?? "test", options.retries);
  return { double, cluster, [Symbol.asyncDispose]: () => double.close() };
}
