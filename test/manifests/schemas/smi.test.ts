import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, it } from "node:test";
import { loadManifests } from "../../../src/manifests/load.js";
import { schemaFor } from "../../../src/manifests/schemas/index.js";
import { smiSchemas } from "../../../src/manifests/schemas/smi.js";
import { validateResources } from "../../../src/manifests/validate.js";
import { corpusPath } from "../../support/corpus.js";

/** Paths of the schema violations of one document (empty: valid). */
function violations(yaml: string): (string | null)[] {
  const { resources, findings } = loadManifests([{ path: "smi.yaml", content: yaml }]);
  assert.deepEqual(findings, []);
  assert.equal(resources.length, 1);
  return validateResources(resources).findings.map((f) => f.path);
}

const meta = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n  namespace: ns\n`;
const split = (version: string, spec: string) => `${meta(`split.smi-spec.io/${version}`, "TrafficSplit")}spec:\n  service: web\n${spec}`;
const target = (version: string, spec: string) => `${meta(`access.smi-spec.io/${version}`, "TrafficTarget")}${spec}`;

describe("SMI and OSM schemas", () => {
  const cases: { name: string; yaml: string; paths: string[] }[] = [
    { name: "a v1alpha1 TrafficSplit with quantity weights", yaml: split("v1alpha1", "  backends:\n  - {service: a, weight: 500m}\n  - {service: b, weight: 1}\n"), paths: [] },
    { name: "a v1alpha1 TrafficSplit with weight 1.5k", yaml: split("v1alpha1", "  backends:\n  - {service: a, weight: 1.5k}\n"), paths: [] },
    { name: "a v1alpha1 TrafficSplit with a weight that is no quantity", yaml: split("v1alpha1", "  backends:\n  - {service: a, weight: half}\n"), paths: ["spec.backends[0].weight"] },
    { name: "a v1alpha1 TrafficSplit with a negative weight", yaml: split("v1alpha1", "  backends:\n  - {service: a, weight: -500m}\n"), paths: ["spec.backends[0].weight"] },
    { name: "a v1alpha2 TrafficSplit with whole weights", yaml: split("v1alpha2", "  backends:\n  - {service: a, weight: 90}\n  - {service: b, weight: 10}\n"), paths: [] },
    { name: "a v1alpha2 TrafficSplit with a quantity weight (whole numbers only)", yaml: split("v1alpha2", "  backends:\n  - {service: a, weight: 500m}\n"), paths: ["spec.backends[0].weight"] },
    { name: "a v1alpha4 TrafficSplit with a fractional weight", yaml: split("v1alpha4", "  backends:\n  - {service: a, weight: 0.5}\n"), paths: ["spec.backends[0].weight"] },
    { name: "a v1alpha4 TrafficSplit with a negative weight", yaml: split("v1alpha4", "  backends:\n  - {service: a, weight: -1}\n"), paths: ["spec.backends[0].weight"] },
    {
      name: "a v1alpha4 TrafficSplit with HTTPRouteGroup matches",
      yaml: split("v1alpha4", "  matches:\n  - {kind: HTTPRouteGroup, name: ab-test}\n  backends:\n  - {service: a, weight: 1}\n"),
      paths: [],
    },
    {
      name: "a v1alpha4 TrafficSplit matching another kind",
      yaml: split("v1alpha4", "  matches:\n  - {kind: TCPRoute, name: t}\n  backends:\n  - {service: a, weight: 1}\n"),
      paths: ["spec.matches[0].kind"],
    },
    { name: "a TrafficSplit without backends", yaml: split("v1alpha2", ""), paths: ["spec.backends"] },
    {
      name: "a v1alpha1 HTTPRouteGroup with top-level matches",
      yaml: `${meta("specs.smi-spec.io/v1alpha1", "HTTPRouteGroup")}matches:\n- {name: metrics, pathRegex: /metrics, methods: [GET]}\n`,
      paths: [],
    },
    {
      name: "a v1alpha4 HTTPRouteGroup with map headers",
      yaml: `${meta("specs.smi-spec.io/v1alpha4", "HTTPRouteGroup")}spec:\n  matches:\n  - name: ff\n    headers: {user-agent: ".*Firefox.*"}\n`,
      paths: [],
    },
    {
      name: "a v1alpha4 HTTPRouteGroup with OSM's list headers",
      yaml: `${meta("specs.smi-spec.io/v1alpha4", "HTTPRouteGroup")}spec:\n  matches:\n  - name: ff\n    headers:\n    - user-agent: ".*Firefox.*"\n`,
      paths: [],
    },
    {
      name: "a v1alpha4 HTTPRouteGroup with a lower-case method (OSM's CRD enum)",
      yaml: `${meta("specs.smi-spec.io/v1alpha4", "HTTPRouteGroup")}spec:\n  matches:\n  - {name: m, methods: [get]}\n`,
      paths: ["spec.matches[0].methods[0]"],
    },
    {
      name: "a v1alpha4 HTTPRouteGroup match without name",
      yaml: `${meta("specs.smi-spec.io/v1alpha4", "HTTPRouteGroup")}spec:\n  matches:\n  - {pathRegex: /x}\n`,
      paths: ["spec.matches[0].name"],
    },
    {
      name: "a v1alpha4 HTTPRouteGroup with top-level matches",
      yaml: `${meta("specs.smi-spec.io/v1alpha4", "HTTPRouteGroup")}matches:\n- {name: m}\n`,
      paths: ["spec"],
    },
    { name: "a v1alpha4 TCPRoute with ports", yaml: `${meta("specs.smi-spec.io/v1alpha4", "TCPRoute")}spec:\n  matches:\n    ports: [3306, 6446]\n`, paths: [] },
    { name: "a v1alpha1 TCPRoute without fields", yaml: meta("specs.smi-spec.io/v1alpha1", "TCPRoute"), paths: [] },
    { name: "a TCPRoute with port 0", yaml: `${meta("specs.smi-spec.io/v1alpha4", "TCPRoute")}spec:\n  matches:\n    ports: [0]\n`, paths: ["spec.matches.ports[0]"] },
    { name: "a v1alpha4 UDPRoute", yaml: `${meta("specs.smi-spec.io/v1alpha4", "UDPRoute")}spec:\n  matches:\n    ports: []\n`, paths: [] },
    {
      name: "a v1alpha1 TrafficTarget with top-level destination, specs and sources",
      yaml: target("v1alpha1", "destination: {kind: ServiceAccount, name: a, namespace: ns, port: 8080}\nspecs:\n- {kind: HTTPRouteGroup, name: r, matches: [m]}\nsources:\n- {kind: ServiceAccount, name: b, namespace: ns}\n"),
      paths: [],
    },
    {
      name: "a v1alpha3 TrafficTarget",
      yaml: target("v1alpha3", "spec:\n  destination: {kind: ServiceAccount, name: a, namespace: ns}\n  rules:\n  - {kind: TCPRoute, name: r}\n  sources:\n  - {kind: ServiceAccount, name: b, namespace: ns}\n"),
      paths: [],
    },
    {
      name: "a v1alpha3 TrafficTarget rule of an unknown kind",
      yaml: target("v1alpha3", "spec:\n  destination: {kind: ServiceAccount, name: a, namespace: ns}\n  rules:\n  - {kind: GRPCRoute, name: r}\n"),
      paths: ["spec.rules[0].kind"],
    },
    { name: "a v1alpha3 TrafficTarget without destination", yaml: target("v1alpha3", "spec:\n  rules: []\n"), paths: ["spec.destination"] },
    {
      name: "an OSM MeshConfig with permissive mode",
      yaml: `${meta("config.openservicemesh.io/v1alpha2", "MeshConfig")}spec:\n  traffic:\n    enablePermissiveTrafficPolicyMode: true\n`,
      paths: [],
    },
    {
      name: "an OSM MeshConfig with a string for a boolean",
      yaml: `${meta("config.openservicemesh.io/v1alpha1", "MeshConfig")}spec:\n  traffic:\n    enableEgress: "no"\n`,
      paths: ["spec.traffic.enableEgress"],
    },
    {
      name: "an OSM Egress with a source that is no ServiceAccount",
      yaml: `${meta("policy.openservicemesh.io/v1alpha1", "Egress")}spec:\n  sources:\n  - {kind: Service, name: a, namespace: ns}\n  ports:\n  - {number: 80, protocol: http}\n`,
      paths: ["spec.sources[0].kind"],
    },
    {
      name: "an OSM Egress without ports",
      yaml: `${meta("policy.openservicemesh.io/v1alpha1", "Egress")}spec:\n  sources:\n  - {kind: ServiceAccount, name: a, namespace: ns}\n  hosts: [httpbin.org]\n`,
      paths: ["spec.ports"],
    },
    {
      name: "an OSM IngressBackend whose port has no protocol",
      yaml: `${meta("policy.openservicemesh.io/v1alpha1", "IngressBackend")}spec:\n  backends:\n  - {name: a, port: {number: 80}}\n  sources: []\n`,
      paths: ["spec.backends[0].port.protocol"],
    },
    {
      name: "an OSM Retry without retryPolicy",
      yaml: `${meta("policy.openservicemesh.io/v1alpha1", "Retry")}spec:\n  source: {kind: ServiceAccount, name: a, namespace: ns}\n  destinations: []\n`,
      paths: ["spec.retryPolicy"],
    },
    { name: "an OSM UpstreamTrafficSetting without host", yaml: `${meta("policy.openservicemesh.io/v1alpha1", "UpstreamTrafficSetting")}spec: {}\n`, paths: ["spec.host"] },
  ];
  for (const c of cases) {
    it(`${c.paths.length ? "rejects" : "accepts"} ${c.name}`, () => {
      assert.deepEqual(violations(c.yaml), c.paths);
    });
  }

  it("serves each version of a kind from exactly one entry", () => {
    const seen = new Map<string, number>();
    for (const s of smiSchemas) {
      for (const v of [...s.versions, ...(s.removedVersions ?? [])]) {
        const key = `${s.group}/${v}/${s.kind}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    assert.deepEqual([...seen].filter(([, n]) => n > 1), []);
  });

  it("resolves each version to the entry of its shape", () => {
    const table: [string, string, string, "served" | "removed"][] = [
      ["split.smi-spec.io", "v1alpha1", "TrafficSplit", "removed"],
      ["split.smi-spec.io", "v1alpha2", "TrafficSplit", "removed"],
      ["split.smi-spec.io", "v1alpha3", "TrafficSplit", "removed"],
      ["split.smi-spec.io", "v1alpha4", "TrafficSplit", "served"],
      ["specs.smi-spec.io", "v1alpha1", "HTTPRouteGroup", "removed"],
      ["specs.smi-spec.io", "v1alpha2", "HTTPRouteGroup", "removed"],
      ["specs.smi-spec.io", "v1alpha3", "HTTPRouteGroup", "removed"],
      ["specs.smi-spec.io", "v1alpha4", "HTTPRouteGroup", "served"],
      ["specs.smi-spec.io", "v1alpha4", "TCPRoute", "served"],
      ["specs.smi-spec.io", "v1alpha4", "UDPRoute", "served"],
      ["access.smi-spec.io", "v1alpha1", "TrafficTarget", "removed"],
      ["access.smi-spec.io", "v1alpha2", "TrafficTarget", "removed"],
      ["access.smi-spec.io", "v1alpha3", "TrafficTarget", "served"],
      ["config.openservicemesh.io", "v1alpha1", "MeshConfig", "served"],
      ["config.openservicemesh.io", "v1alpha2", "MeshConfig", "served"],
      ["config.openservicemesh.io", "v1alpha3", "MeshConfig", "served"],
      ["policy.openservicemesh.io", "v1alpha1", "Egress", "served"],
      ["policy.openservicemesh.io", "v1alpha1", "IngressBackend", "served"],
      ["policy.openservicemesh.io", "v1alpha1", "UpstreamTrafficSetting", "served"],
      ["policy.openservicemesh.io", "v1alpha1", "Retry", "served"],
    ];
    for (const [group, version, kind, status] of table) {
      const s = schemaFor(group, version, kind);
      assert.ok(s, `${group}/${version} ${kind}`);
      assert.equal(s.versions.includes(version) ? "served" : "removed", status, `${group}/${version} ${kind}`);
      if (status === "removed") assert.match(s.migration ?? "", /apiVersion to \S+\/v1alpha[34]/, `${group}/${version} ${kind} migration`);
    }
    assert.notEqual(schemaFor("split.smi-spec.io", "v1alpha1", "TrafficSplit"), schemaFor("split.smi-spec.io", "v1alpha2", "TrafficSplit"));
    assert.notEqual(schemaFor("specs.smi-spec.io", "v1alpha2", "HTTPRouteGroup"), schemaFor("specs.smi-spec.io", "v1alpha3", "HTTPRouteGroup"));
    assert.notEqual(schemaFor("access.smi-spec.io", "v1alpha1", "TrafficTarget"), schemaFor("access.smi-spec.io", "v1alpha2", "TrafficTarget"));
  });

  it("validates every SMI and OSM object of the corpus that declares its apiVersion", () => {
    const files: string[] = [];
    const walk = (rel: string): void => {
      for (const name of readdirSync(corpusPath(rel)).sort()) {
        const child = `${rel}/${name}`;
        if (statSync(corpusPath(child)).isDirectory()) walk(child);
        else if (/\.ya?ml$/.test(name)) files.push(child);
      }
    };
    walk("osm");
    walk("smi");
    // File by file: the docs repeat objects across pages, which would be duplicates in one tree.
    const ours = files.flatMap((path) => {
      const { resources } = loadManifests([{ path, content: readFileSync(corpusPath(path)) }]);
      const mine = resources.filter((r) => smiSchemas.some((s) => s.group === r.group && s.kind === r.kind));
      const { valid, findings } = validateResources(mine);
      assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.message}`), []);
      assert.equal(valid.size, mine.length, path);
      return mine;
    });
    const byKind = new Map<string, number>();
    for (const r of ours) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...byKind].sort()), {
      Egress: 7,
      HTTPRouteGroup: 8,
      IngressBackend: 13,
      MeshConfig: 1,
      Retry: 3,
      TCPRoute: 7,
      TrafficSplit: 21,
      TrafficTarget: 14,
      UpstreamTrafficSetting: 13,
    });
  });
});
