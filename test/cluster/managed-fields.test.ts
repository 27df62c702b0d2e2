import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  fieldOwnership,
  managedFieldsOf,
  ownedLeafPaths,
  ownerOf,
  owners,
  parseFieldsV1,
} from "../../src/cluster/managed-fields.js";
import type { LiveObject } from "../../src/cluster/cluster-port.js";
import { APPLYSET_PART_OF_LABEL } from "../../src/cluster/apply-set.js";
import {
  APPLIED_AT,
  EDITED_AT,
  asApplied,
  entry,
  istioStatusEntry,
  meshplanVsFields,
  reviewsDesired,
  reviewsServiceLive,
} from "./live-fixtures.js";

/** reviews after `kubectl edit` moved all traffic to v1: the editor's Update took the atomic http list. */
function editedReviews(): LiveObject {
  const live = asApplied(reviewsDesired(), [
    entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields(false)),
    entry("kubectl-edit", "Update", EDITED_AT, { "f:spec": { "f:http": {} } }),
    istioStatusEntry,
  ]);
  const route = ((live["spec"] as any).http[1] as any).route;
  route[0].weight = 100;
  route[1].weight = 0;
  return live;
}

describe("managedFieldsOf", () => {
  it("reads every well-formed entry with its manager, operation, time, apiVersion and subresource", () => {
    const entries = managedFieldsOf(editedReviews());
    assert.deepEqual(
      entries.map(({ manager, operation, time, apiVersion, subresource }) => ({ manager, operation, time, apiVersion, subresource })),
      [
        { manager: "meshplan", operation: "Apply", time: APPLIED_AT, apiVersion: "networking.istio.io/v1", subresource: null },
        { manager: "kubectl-edit", operation: "Update", time: EDITED_AT, apiVersion: "networking.istio.io/v1", subresource: null },
        { manager: "pilot-discovery", operation: "Update", time: APPLIED_AT, apiVersion: "networking.istio.io/v1", subresource: "status" },
      ],
    );
  });

  it("skips malformed entries and keeps the rest", () => {
    const live = asApplied(reviewsDesired(), [
      "not an entry",
      { operation: "Apply", fieldsType: "FieldsV1", fieldsV1: {} },
      { manager: "x", operation: "Patch", fieldsType: "FieldsV1", fieldsV1: {} },
      { manager: "x", operation: "Apply", fieldsType: "FieldsV2", fieldsV1: {} },
      { manager: "x", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: { "q:spec": {} } },
      { manager: "x", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "k:{not json": {} } } },
      { manager: "x", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "i:-1": {} } } },
      { manager: "x", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: { "f:spec": 7 } },
      entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields()),
    ]);
    assert.deepEqual(managedFieldsOf(live).map((e) => e.manager), ["meshplan"]);
  });

  it("reads nothing from an object whose managedFields is not a list", () => {
    const live = asApplied(reviewsDesired());
    live.metadata["managedFields"] = { manager: "meshplan" };
    assert.deepEqual(managedFieldsOf(live), []);
    assert.equal(ownerOf(live, ["spec", "hosts"]), null);
  });

  it("decodes f:, k:, v:, i: elements and '.' members", () => {
    const set = parseFieldsV1({
      "f:spec": {
        "f:ports": { 'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:port": {} } },
        "f:finalizers": { 'v:"a"': {} },
        "f:args": { "i:2": {} },
      },
    });
    assert.ok(set);
    const spec = set.children[0]!;
    assert.deepEqual(spec.element, { type: "field", name: "spec" });
    assert.deepEqual(
      spec.node.children.map((c) => c.element),
      [
        { type: "field", name: "ports" },
        { type: "field", name: "finalizers" },
        { type: "field", name: "args" },
      ],
    );
    const item = spec.node.children[0]!.node.children[0]!;
    assert.deepEqual(item.element, { type: "key", fields: { port: 80, protocol: "TCP" } });
    assert.equal(item.node.member, true);
    assert.deepEqual(spec.node.children[1]!.node.children[0]!.element, { type: "value", value: "a" });
    assert.deepEqual(spec.node.children[2]!.node.children[0]!.element, { type: "index", index: 2 });
  });
});

describe("ownerOf", () => {
  it("names kubectl-edit for a weight inside the http list its Update took over", () => {
    assert.deepEqual(ownerOf(editedReviews(), ["spec", "http", 1, "route", 0, "weight"]), {
      manager: "kubectl-edit",
      operation: "Update",
      time: EDITED_AT,
      apiVersion: "networking.istio.io/v1",
      subresource: null,
    });
  });

  it("names meshplan for fields only meshplan applied", () => {
    const live = editedReviews();
    assert.equal(ownerOf(live, ["spec", "hosts"])?.manager, "meshplan");
    assert.equal(ownerOf(live, ["metadata", "labels", APPLYSET_PART_OF_LABEL])?.manager, "meshplan");
  });

  it("names the status subresource's manager for status", () => {
    assert.deepEqual(owners(editedReviews(), ["status", "observedGeneration"]).map((o) => [o.manager, o.subresource]), [["pilot-discovery", "status"]]);
  });

  it("finds nobody for a value no manager set", () => {
    assert.equal(ownerOf(editedReviews(), ["metadata", "uid"]), null);
  });

  it("prefers another manager over meshplan when they co-own a field, and lists both", () => {
    const live = asApplied(reviewsDesired(), [
      entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields()),
      entry("platform-team", "Apply", EDITED_AT, { "f:spec": { "f:hosts": {} } }),
    ]);
    assert.deepEqual(owners(live, ["spec", "hosts"]).map((o) => o.manager), ["platform-team", "meshplan"]);
    assert.equal(ownerOf(live, ["spec", "hosts"])?.manager, "platform-team");
    assert.equal(ownerOf(live, ["spec", "hosts"], { fieldManager: "platform-team" })?.manager, "meshplan");
  });

  it("gives a container nobody owns as such the owners of what is inside it", () => {
    const live = editedReviews();
    assert.deepEqual(owners(live, ["spec"]).map((o) => o.manager), ["kubectl-edit", "meshplan"]);
  });

  it("gives a field absent from the live object the owner of the atomic value around it", () => {
    const live = editedReviews();
    assert.equal(ownerOf(live, ["spec", "http", 0, "timeout"])?.manager, "kubectl-edit");
    assert.equal(ownerOf(live, ["spec", "tcp"]), null);
  });

  it("matches k: items by their key fields, whatever the item's position or key order", () => {
    const live = reviewsServiceLive();
    const spec = live["spec"] as { ports: Record<string, unknown>[] };
    spec.ports.unshift({ name: "grpc", port: 9090, protocol: "TCP", targetPort: 9090 });
    live.metadata["managedFields"] = [
      entry("meshplan", "Apply", APPLIED_AT, { "f:spec": { "f:ports": { 'k:{"protocol":"TCP","port":9080}': { ".": {}, "f:name": {}, "f:port": {} } } } }, { apiVersion: "v1" }),
      entry("kubectl-edit", "Update", EDITED_AT, { "f:spec": { "f:ports": { 'k:{"port":9090,"protocol":"TCP"}': { ".": {}, "f:name": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {} } } } }, { apiVersion: "v1" }),
    ];
    assert.equal(ownerOf(live, ["spec", "ports", 1, "name"])?.manager, "meshplan");
    assert.equal(ownerOf(live, ["spec", "ports", 1])?.manager, "meshplan");
    assert.equal(ownerOf(live, ["spec", "ports", 0, "targetPort"])?.manager, "kubectl-edit");
    // Defaulted by the server, owned by nobody.
    assert.equal(ownerOf(live, ["spec", "ports", 1, "targetPort"]), null);
    assert.equal(ownerOf(live, ["spec", "ports", 1, "protocol"]), null);
  });

  it("matches v: items by value and i: items by index", () => {
    const live: LiveObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        namespace: "ns",
        finalizers: ["example.com/a", "example.com/b"],
        managedFields: [
          entry("protector", "Update", EDITED_AT, { "f:metadata": { "f:finalizers": { ".": {}, 'v:"example.com/b"': {} } } }, { apiVersion: "v1" }),
          entry("argo", "Update", APPLIED_AT, { "f:spec": { "f:args": { "i:1": {} } } }, { apiVersion: "v1" }),
        ],
      },
      spec: { args: ["--a", "--b"] },
    };
    assert.equal(ownerOf(live, ["metadata", "finalizers", 1])?.manager, "protector");
    // Owning the list itself ('.') is not owning its other items.
    assert.equal(ownerOf(live, ["metadata", "finalizers", 0]), null);
    assert.equal(ownerOf(live, ["metadata", "finalizers"])?.manager, "protector");
    assert.equal(ownerOf(live, ["spec", "args", 1])?.manager, "argo");
    assert.equal(ownerOf(live, ["spec", "args", 0]), null);
  });

  it("ignores items the live list no longer holds", () => {
    const live = reviewsServiceLive();
    live.metadata["managedFields"] = [entry("gone", "Update", EDITED_AT, { "f:spec": { "f:ports": { 'k:{"port":1,"protocol":"TCP"}': { "f:name": {} } } } })];
    assert.deepEqual(fieldOwnership(live).ownedLeafPaths(), []);
  });
});

describe("ownedLeafPaths", () => {
  it("lists each manager's leaves as paths into the live object, sorted", () => {
    const live = reviewsServiceLive();
    assert.deepEqual(
      ownedLeafPaths(live, "meshplan").map((f) => f.path),
      [
        ["metadata", "labels", "app"],
        ["metadata", "labels", APPLYSET_PART_OF_LABEL],
        ["spec", "ports", 0, "name"],
        ["spec", "ports", 0, "port"],
        ["spec", "selector"],
      ],
    );
    assert.deepEqual(ownedLeafPaths(live, "someone-else"), []);
  });

  it("lists every manager's leaves when no manager is given", () => {
    const managers = ownedLeafPaths(editedReviews()).map((f) => `${f.owner.manager} ${f.path.join(".")}`);
    assert.deepEqual(managers, [
      `meshplan metadata.labels.app`,
      `meshplan metadata.labels.${APPLYSET_PART_OF_LABEL}`,
      "meshplan spec.hosts",
      "kubectl-edit spec.http",
      "pilot-discovery status.observedGeneration",
    ]);
  });
});
