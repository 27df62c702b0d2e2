/**
 * The real kubectl against the Kubernetes API double, and the request kubectl sends when someone
 * edits a VirtualService's weights by hand, so tests can change a cluster behind meshplan's back.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeDouble } from "./kube-double/index.js";
import { weightedRoutes } from "./mesh-manifests.js";

/** The kubectl the tests drive (client v1.32); $KUBECTL names another. */
export const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";

/** The skip reason of a test that needs kubectl, or false when it is installed. */
export const noKubectl: string | false = existsSync(KUBECTL) ? false : `kubectl not found at ${KUBECTL} (Debian: apt-get install kubernetes-client)`;

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /**
   * kubectl's HOME, holding its discovery cache: calls that share one reuse the cache. Without it
   * each call gets a fresh directory, removed afterwards.
   */
  home?: string;
  env?: Record<string, string>;
}

/** Runs kubectl with the double's kubeconfig and a discovery cache of its own. */
export async function kubectl(double: KubeDouble, args: string[], options: KubectlOptions = {}): Promise<KubectlRun> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), "kubectl-")));
  try {
    return await new Promise((resolve) => {
      execFile(
        KUBECTL,
        ["--kubeconfig", double.kubeconfigPath, "--cache-dir", join(home, "cache"), "--request-timeout=10s", ...args],
        { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...options.env }, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
      );
    });
  } finally {
    if (!options.home) await rm(home, { recursive: true, force: true });
  }
}

/** `kubectl patch --type merge --field-manager kubectl-edit` of the reviews VirtualService's weights, by the real kubectl. */
export function kubectlPatchWeights(double: KubeDouble, weightV1: number, namespace = "shop"): Promise<KubectlRun> {
  const patch = JSON.stringify({ spec: weightedRoutes(weightV1) });
  return kubectl(double, ["patch", "virtualservice.networking.istio.io", "reviews", "-n", namespace, "--type", "merge", "--field-manager", "kubectl-edit", "-p", patch]);
}

/**
 * The merge patch of the reviews VirtualService's weights that `kubectl patch --field-manager
 * kubectl-edit` sends, sent to the double directly: no kubectl needed.
 */
export async function editWeightsAsKubectl(double: KubeDouble, weightV1: number, namespace = "shop"): Promise<void> {
  const res = await double.fetch(`/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices/reviews?fieldManager=kubectl-edit`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${double.token}`, "content-type": "application/merge-patch+json" },
    body: JSON.stringify({ spec: weightedRoutes(weightV1) }),
  });
  assert.equal(res.status, 200, await res.text());
}
