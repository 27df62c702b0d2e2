import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const policy = defaultPackPolicy("strict-mtls-in-prod");

const prod = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels: { env: prod }\n";

const peerAuthentication = (spec: string, namespace = "payments") => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${namespace}
${OWNED}spec:
${spec}`;

const check = (spec: string, namespace?: string) =>
  findingsOf(policy, { "ns.yaml": prod, "pa.yaml": peerAuthentication(spec, namespace) }).map((f) => [f.severity, f.path, f.message]);

describe("default pack: strict-mtls-in-prod", () => {
  it("passes a namespace-wide STRICT policy", () => {
    assert.deepEqual(check("  mtls: { mode: STRICT }\n"), []);
  });

  it("fails a namespace-wide PERMISSIVE policy", () => {
    assert.deepEqual(check("  mtls: { mode: PERMISSIVE }\n"), [
      ["error", "spec.mtls.mode", "a namespace-wide PeerAuthentication in a production namespace must set mtls.mode STRICT"],
      ["error", "spec.mtls.mode", "mtls.mode PERMISSIVE in a production namespace; use STRICT"],
    ]);
  });

  it("fails a namespace-wide policy that leaves the mode to the mesh default", () => {
    assert.deepEqual(check("  mtls: { mode: UNSET }\n"), [
      ["error", "spec.mtls.mode", "a namespace-wide PeerAuthentication in a production namespace must set mtls.mode STRICT"],
    ]);
  });

  it("lets a workload policy inherit, but not relax a port", () => {
    const selector = "  selector: { matchLabels: { app: ledger } }\n";
    assert.deepEqual(check(`${selector}  mtls: { mode: UNSET }\n  portLevelMtls: { "8080": { mode: STRICT } }\n`), []);
    assert.deepEqual(check(`${selector}  portLevelMtls: { "8080": { mode: DISABLE }, "9090": { mode: STRICT } }\n`), [
      ["error", "spec.portLevelMtls", "port-level mTLS relaxed in a production namespace on port(s) 8080"],
    ]);
  });

  it("leaves namespaces that are not prod alone", () => {
    assert.deepEqual(check("  mtls: { mode: PERMISSIVE }\n", "sandbox"), []);
  });
});
