import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const policy = defaultPackPolicy("no-fault-injection-in-prod");

const namespace = (name: string, env: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: { env: ${env} }
`;

const ratings = (namespace: string, fault: boolean) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: ${namespace}
${OWNED}spec:
  hosts: [ratings]
  http:
    - name: jason-delay
      match: [{ headers: { end-user: { exact: jason } } }]
${fault ? "      fault: { delay: { fixedDelay: 7s, percentage: { value: 100 } } }\n" : ""}      route:
        - destination: { host: ratings }
    - route:
        - destination: { host: ratings }
`;

describe("default pack: no-fault-injection-in-prod", () => {
  it("passes a VirtualService without faults in a prod namespace", () => {
    assert.deepEqual(findingsOf(policy, { "ns.yaml": namespace("shop", "prod"), "vs.yaml": ratings("shop", false) }), []);
  });

  it("fails fault injection in a namespace labelled env=prod, naming the rule", () => {
    const findings = findingsOf(policy, { "ns.yaml": namespace("shop", "prod"), "vs.yaml": ratings("shop", true) });
    assert.deepEqual(
      findings.map((f) => [f.severity, f.path, f.message]),
      [["error", "spec.http", "fault injection in a production namespace: jason-delay"]],
    );
  });

  it("leaves fault injection outside prod namespaces alone", () => {
    assert.deepEqual(findingsOf(policy, { "ns.yaml": namespace("shop", "staging"), "vs.yaml": ratings("shop", true) }), []);
    assert.deepEqual(findingsOf(policy, { "vs.yaml": ratings("unlabelled", true) }), []);
  });
});
