/**
 * Where a cluster's credentials come from: a kubeconfig file (the CLI, with
 * kubectl's loading rules), a kubeconfig document held in AWS Secrets Manager
 * (the Lambda deployment, one per cluster in meshplan.yaml), or the pod's
 * service account (meshplan running inside the cluster it manages).
 *
 * Errors name files, contexts and clusters, never tokens, keys or passwords:
 * a kubeconfig that fails to parse is reported by the parser's reason and
 * position only, because the parser's own message quotes the document.
 */
import { KubeConfig } from "@kubernetes/client-node";

export class KubeConfigError extends Error {
  override name = "KubeConfigError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A kubeconfig from `path`, or by kubectl's default loading rules without one
 * ($KUBECONFIG, a `:`-separated list, then ~/.kube/config, then the in-cluster
 * service account). `context` replaces the file's current-context.
 */
export function kubeConfigFromFile(path?: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  const source = path ?? (process.env.KUBECONFIG ? `$KUBECONFIG (${process.env.KUBECONFIG})` : "the default kubeconfig (~/.kube/config)");
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new KubeConfigError(`cannot load ${source}: ${describeLoadError(err)}`);
  }
  return selectContext(kc, context, source);
}

/** A kubeconfig document given as text, e.g. the SecretString of a Secrets Manager secret. */
export function kubeConfigFromString(yamlText: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(yamlText);
  } catch (err) {
    throw new KubeConfigError(`the kubeconfig document cannot be read: ${describeLoadError(err)}`);
  }
  return selectContext(kc, context, "the kubeconfig document");
}

/** The pod's service account token and CA, and the API server from KUBERNETES_SERVICE_HOST/PORT. */
export function kubeConfigInCluster(): KubeConfig {
  if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
    throw new KubeConfigError("not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
  }
  const kc = new KubeConfig();
  kc.loadFromCluster();
  return kc;
}

function selectContext(kc: KubeConfig, context: string | undefined, source: string): KubeConfig {
  const names = kc.getContexts().map((c) => c.name);
  if (context !== undefined) {
    if (!names.includes(context)) {
      const available = names.length > 0 ? `available contexts: ${names.join(", ")}` : "it defines no contexts";
      throw new KubeConfigError(`context "${context}" is not in ${source}; ${available}`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    const current = kc.getCurrentContext();
    throw new KubeConfigError(
      current
        ? `context "${current}" of ${source} names no cluster the file defines`
        : `${source} has no current-context; choose one of: ${names.join(", ") || "(none defined)"}`,
    );
  }
  return kc;
}

/** The parser's reason and position without the excerpt of the document it appends (which may hold credentials). */
function describeLoadError(err: unknown): string {
  if (typeof err !== "object" || err === null) return String(err);
  const e = err as { name?: string; reason?: string; mark?: { line: number; column: number }; code?: string; message?: string };
  if (e.name === "YAMLException" && e.reason) return `invalid YAML: ${e.reason}${e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : ""}`;
  if (e.code === "ENOENT") return "no such file";
  if (e.code === "EACCES") return "permission denied";
  return (e.message ?? String(err)).split("\n")[0]!;
}
