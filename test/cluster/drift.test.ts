import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { drift, renderDriftMarkdown, renderDriftText, type DesiredObject, type DriftInput } from "../../src/cluster/drift.js";
import type { LiveObject } from "../../src/cluster/cluster-port.js";
import { APPLYSET_PART_OF_LABEL, memberKey } from "../../src/cluster/apply-set.js";
import {
  APPLIED_AT,
  EDITED_AT,
  SET_ID,
  asApplied,
  desiredObject,
  entry,
  istioStatusEntry,
  meshplanVsFields,
  reviewsDesired,
  reviewsServiceDesired,
  reviewsServiceLive,
} from "./live-fixtures.js";

const kubectlEditHttp = entry("kubectl-edit", "Update", EDITED_AT, { "f:spec": { "f:http": {} } });
const kubectlEdit = { manager: "kubectl-edit", operation: "Update", time: EDITED_AT, apiVersion: "networking.istio.io/v1", subresource: null };

/** A drift input where every live object is a member of the set, fetched by name too. */
function input(desired: DesiredObject[], live: LiveObject[], extraMembers: LiveObject[] = []): DriftInput {
  const byKey = new Map<string, LiveObject>();
  for (const o of live) {
    const slash = o.apiVersion.lastIndexOf("/");
    const group = slash < 0 ? "" : o.apiVersion.slice(0, slash);
    byKey.set(memberKey({ group, kind: o.kind, namespace: o.metadata.namespace ?? null, name: o.metadata.name }), o);
  }
  return { desired, members: [...live, ...extraMembers], live: byKey, applySetId: SET_ID, fieldManager: "meshplan" };
}

/** reviews as live after kubectl-edit's Update: the http list moved to the editor. */
function editedReviews(edit: (spec: any) => void): LiveObject {
  const live = asApplied(reviewsDesired(), [entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields(false)), kubectlEditHttp, istioStatusEntry]);
  edit(live["spec"]);
  return live;
}

describe("drift", () => {
  it("is clean when live differs only by server defaults, status, resourceVersion, uid and generation", () => {
    const vs = asApplied(reviewsDesired());
    vs.metadata.resourceVersion = "99999";
    vs.metadata["generation"] = 7;
    vs["status"] = { observedGeneration: 7, validationMessages: [{ type: { code: "IST0101" } }] };
    const report = drift(input([desiredObject(reviewsDesired()), desiredObject(reviewsServiceDesired())], [vs, reviewsServiceLive()]));
    assert.equal(report.clean, true);
    assert.deepEqual(report.counts, { desired: 2, inSync: 2, drifted: 0, driftedFields: 0, missing: 0, unexpected: 0 });
    assert.deepEqual(report.drifted, []);
  });

  it("reports a weight kubectl edit changed, with kubectl-edit, Update and its time as owner", () => {
    const live = editedReviews((spec) => {
      spec.http[1].route[0].weight = 100;
      spec.http[1].route[1].weight = 0;
    });
    const report = drift(input([desiredObject(reviewsDesired(), "networking/reviews.yaml", 1)], [live]));
    assert.equal(report.clean, false);
    assert.deepEqual(report.drifted, [
      {
        subject: { group: "networking.istio.io", apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "bookinfo", name: "reviews" },
        file: "networking/reviews.yaml",
        line: 1,
        fields: [
          { path: ["spec", "http", 1, "route", 0, "weight"], change: "changed", desired: 50, live: 100, owner: kubectlEdit },
          { path: ["spec", "http", 1, "route", 1, "weight"], change: "changed", desired: 50, live: 0, owner: kubectlEdit },
        ],
      },
    ]);
    assert.equal(report.counts.driftedFields, 2);
  });

  it("reports a desired object with no live object as missing", () => {
    const report = drift(input([desiredObject(reviewsDesired(), "networking/reviews.yaml", 1), desiredObject(reviewsServiceDesired())], [reviewsServiceLive()]));
    assert.deepEqual(report.missing, [
      {
        subject: { group: "networking.istio.io", apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "bookinfo", name: "reviews" },
        file: "networking/reviews.yaml",
        line: 1,
      },
    ]);
    assert.equal(report.counts.inSync, 1);
  });

  it("reports a hand-made object carrying meshplan's part-of label as unexpected, and ignores other sets' members", () => {
    const handMade: LiveObject = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: {
        name: "ratings-hotfix",
        namespace: "bookinfo",
        labels: { [APPLYSET_PART_OF_LABEL]: SET_ID },
        managedFields: [
          entry("kubectl-client-side-apply", "Update", EDITED_AT, { "f:metadata": { "f:labels": { ".": {}, [`f:${APPLYSET_PART_OF_LABEL}`]: {} } }, "f:spec": { ".": {}, "f:hosts": {}, "f:http": {} } }),
          istioStatusEntry,
        ],
      },
      spec: { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings" } }] }] },
    };
    const otherSet: LiveObject = { ...structuredClone(handMade), metadata: { name: "x", namespace: "bookinfo", labels: { [APPLYSET_PART_OF_LABEL]: "applyset-other-v1" } } };
    const report = drift(input([desiredObject(reviewsDesired())], [asApplied(reviewsDesired())], [handMade, otherSet]));
    assert.deepEqual(report.unexpected, [
      {
        subject: { group: "networking.istio.io", apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "bookinfo", name: "ratings-hotfix" },
        managers: [{ manager: "kubectl-client-side-apply", operation: "Update", time: EDITED_AT, apiVersion: "networking.istio.io/v1", subresource: null }],
      },
    ]);
    assert.equal(report.counts.unexpected, 1);
  });

  it("reports a list of another length as one field holding both lists", () => {
    const live = editedReviews((spec) => {
      spec.http[1].route.push({ destination: { host: "reviews", subset: "v4" }, weight: 0 });
    });
    const report = drift(input([desiredObject(reviewsDesired())], [live]));
    const desiredRoute = (reviewsDesired() as any).spec.http[1].route;
    assert.deepEqual(report.drifted[0]?.fields, [
      { path: ["spec", "http", 1, "route"], change: "changed", desired: desiredRoute, live: (live["spec"] as any).http[1].route, owner: kubectlEdit },
    ]);
  });

  it("reports a timeout another manager added to an http route, with that manager as owner", () => {
    const live = editedReviews((spec) => {
      spec.http[0].timeout = "5s";
    });
    const report = drift(input([desiredObject(reviewsDesired())], [live]));
    assert.deepEqual(report.drifted[0]?.fields, [{ path: ["spec", "http", 0, "timeout"], change: "added", live: "5s", owner: kubectlEdit }]);
  });

  it("reports a whole field another manager added at a level meshplan leaves alone", () => {
    const live = asApplied(reviewsDesired(), [
      entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields()),
      entry("kubectl-patch", "Update", EDITED_AT, { "f:spec": { "f:exportTo": {} } }),
    ]);
    (live["spec"] as any).exportTo = ["."];
    const report = drift(input([desiredObject(reviewsDesired())], [live]));
    assert.deepEqual(report.drifted[0]?.fields.map((f) => [f.path.join("."), f.change, f.live, f.owner?.manager]), [["spec.exportTo", "added", ["."], "kubectl-patch"]]);
  });

  it("does not count labels and annotations other managers add", () => {
    const live = asApplied(reviewsDesired(), [
      entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields()),
      entry("kubectl-label", "Update", EDITED_AT, { "f:metadata": { "f:labels": { "f:team": {} }, "f:annotations": { ".": {}, "f:note": {} } } }),
    ]);
    live.metadata["labels"] = { ...(live.metadata["labels"] as object), team: "checkout" };
    live.metadata["annotations"] = { note: "paged at 3am" };
    assert.equal(drift(input([desiredObject(reviewsDesired())], [live])).clean, true);
  });

  it("reports a label meshplan sets that someone removed or changed", () => {
    const live = asApplied(reviewsDesired(), [entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields()), entry("kubectl-label", "Update", EDITED_AT, { "f:metadata": { "f:labels": { "f:app": {} } } })]);
    // meshplan's entry still names the removed label, as a stale entry would: it owns no value there.
    live.metadata["labels"] = { app: "reviews-v2" };
    const fields = drift(input([desiredObject(reviewsDesired())], [live])).drifted[0]?.fields;
    assert.deepEqual(
      fields?.map((f) => [f.path.join("|"), f.change, f.desired, f.live, f.owner?.manager ?? null]),
      [
        ["metadata|labels|app", "changed", "reviews", "reviews-v2", "kubectl-label"],
        [`metadata|labels|${APPLYSET_PART_OF_LABEL}`, "removed", SET_ID, undefined, null],
      ],
    );
  });

  it("does not count server defaults inside list items (Service ports)", () => {
    const report = drift(input([desiredObject(reviewsServiceDesired())], [reviewsServiceLive()]));
    assert.equal(report.clean, true);
  });

  it("compares numbers and strings strictly", () => {
    const desired = reviewsDesired() as any;
    desired.spec.http[1].route[0].weight = "50";
    const report = drift(input([desiredObject(desired)], [asApplied(reviewsDesired())]));
    assert.deepEqual(report.drifted[0]?.fields.map((f) => [f.path.join("."), f.desired, f.live, f.owner?.manager]), [["spec.http.1.route.0.weight", "50", 50, "meshplan"]]);
  });

  it("still diffs an object whose managedFields are malformed, with no owner", () => {
    const live = asApplied(reviewsDesired(), [{ manager: 42 }, { manager: "kubectl-edit", operation: "Update", fieldsType: "FieldsV1", fieldsV1: "f:spec" }]);
    (live["spec"] as any).http[1].route[0].weight = 80;
    (live["spec"] as any).http[0].timeout = "5s";
    const report = drift(input([desiredObject(reviewsDesired())], [live]));
    assert.deepEqual(report.drifted[0]?.fields, [{ path: ["spec", "http", 1, "route", 0, "weight"], change: "changed", desired: 50, live: 80, owner: null }]);
  });

  it("orders objects by group, kind, namespace and name, and counts each desired object once", () => {
    const names = ["b", "a", "c"];
    const desired = names.flatMap((n) => [desiredObject(reviewsDesired(n, "ns2")), desiredObject(reviewsDesired(n, "ns1"))]);
    desired.push(desiredObject(reviewsDesired("a", "ns1")));
    const report = drift(input(desired, []));
    assert.deepEqual(report.missing.map((m) => `${m.subject.namespace}/${m.subject.name}`), ["ns1/a", "ns1/b", "ns1/c", "ns2/a", "ns2/b", "ns2/c"]);
    assert.equal(report.counts.desired, 6);
  });

  it("finds a live object among the members when it was not fetched by name", () => {
    const report = drift({ ...input([desiredObject(reviewsDesired())], [asApplied(reviewsDesired())]), live: new Map() });
    assert.equal(report.clean, true);
  });

  it("handles 5,000 objects, indexing by member key", () => {
    const desired: DesiredObject[] = [];
    const live: LiveObject[] = [];
    for (let i = 0; i < 5_000; i++) {
      const name = `svc-${String(i).padStart(4, "0")}`;
      const d = reviewsDesired(name, `team-${i % 50}`);
      desired.push(desiredObject(d));
      if (i % 100 === 0) continue; // deleted: missing
      const o = i % 10 === 0 ? editedReviews(() => {}) : asApplied(d);
      if (i % 10 === 0) {
        o.metadata = { ...o.metadata, name, namespace: `team-${i % 50}` };
        (o["spec"] as any).http[1].route[0].weight = 90;
      }
      live.push(o);
    }
    const strays = Array.from({ length: 25 }, (_, i) => asApplied(reviewsDesired(`stray-${i}`, "team-0")));
    const report = drift(input(desired, live, strays));
    assert.deepEqual(report.counts, { desired: 5_000, inSync: 4_500, drifted: 450, driftedFields: 450, missing: 50, unexpected: 25 });
    assert.ok(report.drifted.every((o) => o.fields[0]?.owner?.manager === "kubectl-edit"));
    assert.equal(report.unexpected[0]?.subject.name, "stray-0");
    assert.equal(report.unexpected[1]?.subject.name, "stray-1");
  });
});

describe("renderDriftText", () => {
  it("says a clean report is clean", () => {
    const report = drift(input([desiredObject(reviewsDesired())], [asApplied(reviewsDesired())]));
    assert.equal(renderDriftText(report), "No drift: the cluster matches git (1 object).\n");
  });

  it("lists drifted fields with their owner, then missing and unexpected objects", () => {
    const live = editedReviews((spec) => {
      spec.http[1].route[0].weight = 100;
      spec.http[0].timeout = "5s";
    });
    const stray = asApplied(reviewsDesired("ratings-hotfix"), [entry("kubectl-client-side-apply", "Update", EDITED_AT, { "f:spec": { "f:hosts": {} } })]);
    const report = drift(input([desiredObject(reviewsDesired(), "networking/reviews.yaml", 1), desiredObject(reviewsServiceDesired(), "services.yaml", 4)], [live], [stray]));
    assert.equal(
      renderDriftText(report),
      [
        "Drift: 1 object drifted (2 fields), 1 missing, 1 unexpected; 0 of 2 objects in git match.",
        "",
        "Drifted (git → live):",
        "  VirtualService.networking.istio.io bookinfo/reviews (networking/reviews.yaml:1)",
        `    spec.http[0].timeout: (absent) → "5s", added by kubectl-edit (Update, ${EDITED_AT})`,
        `    spec.http[1].route[0].weight: 50 → 100, changed by kubectl-edit (Update, ${EDITED_AT})`,
        "",
        "Missing (in git, not in the cluster):",
        "  Service bookinfo/reviews (services.yaml:4)",
        "",
        "Unexpected (carry the ApplySet label, not in git):",
        "  VirtualService.networking.istio.io bookinfo/ratings-hotfix, managed by kubectl-client-side-apply (Update)",
        "",
      ].join("\n"),
    );
  });
});

describe("renderDriftMarkdown", () => {
  it("says a clean report is clean", () => {
    const report = drift(input([desiredObject(reviewsDesired())], [asApplied(reviewsDesired())]));
    assert.equal(
      renderDriftMarkdown(report, { cluster: "prod-eu" }),
      "## Drift on `prod-eu`\n\nNo drift: the cluster matches git (1 object), and no other object carries meshplan's ApplySet label.\n",
    );
  });

  it("renders one list line per drifted field and tables for missing and unexpected objects", () => {
    const live = editedReviews((spec) => {
      spec.http[1].route[0].weight = 100;
    });
    const stray = asApplied(reviewsDesired("ratings-hotfix"), [entry("kubectl-client-side-apply", "Update", EDITED_AT, { "f:spec": { "f:hosts": {} } })]);
    const report = drift(input([desiredObject(reviewsDesired(), "networking/reviews.yaml", 1), desiredObject(reviewsServiceDesired(), "services.yaml", 4)], [live], [stray]));
    assert.equal(
      renderDriftMarkdown(report, { cluster: "prod-eu" }),
      [
        "## Drift on `prod-eu`",
        "",
        "**Drift: 1 object drifted (1 field), 1 missing, 1 unexpected; 0 of 2 objects in git match.**",
        "",
        "### Drifted",
        "",
        "Each line shows the value in git, then the value live.",
        "",
        "- **`VirtualService.networking.istio.io` `bookinfo/reviews`** — `networking/reviews.yaml:1`",
        `  - \`spec.http[1].route[0].weight\` \`50\` → \`100\`, changed by \`kubectl-edit\` (Update, ${EDITED_AT})`,
        "",
        "### Missing",
        "",
        "In git, not in the cluster.",
        "",
        "| Kind | Namespace | Name | Source |",
        "|---|---|---|---|",
        "| `Service` | `bookinfo` | `reviews` | `services.yaml:4` |",
        "",
        "### Unexpected",
        "",
        "Carry meshplan's ApplySet label, not in git: the next rollout prunes them.",
        "",
        "| Kind | Namespace | Name | Managed by |",
        "|---|---|---|---|",
        "| `VirtualService.networking.istio.io` | `bookinfo` | `ratings-hotfix` | `kubectl-client-side-apply` (Update) |",
        "",
      ].join("\n"),
    );
  });

  it("says when meshplan itself set the live value, so git has moved on since the last rollout", () => {
    const desired = reviewsDesired() as any;
    desired.spec.http[1].route[0].weight = 20;
    desired.spec.http[1].route[1].weight = 80;
    const report = drift(input([desiredObject(desired)], [asApplied(reviewsDesired())]));
    assert.match(renderDriftMarkdown(report, { cluster: "c" }), /`20` → `50`, changed; the live value was set by `meshplan` \(Apply, 2026-11-20T08:00:00Z\), git has changed since/);
  });

  it("summarises what does not fit", () => {
    const desired = Array.from({ length: 30 }, (_, i) => desiredObject(reviewsDesired(`r${i}`)));
    const live = desired.map((d) => {
      const o = asApplied(d.object);
      (o["spec"] as any).hosts = ["elsewhere"];
      return o;
    });
    const md = renderDriftMarkdown(drift(input(desired, live)), { cluster: "c", maxLines: 10 });
    assert.match(md, /… and 25 more drifted fields/);
  });

  it("lists missing objects while the line budget lasts and counts the rest", () => {
    const desired = Array.from({ length: 12 }, (_, i) => desiredObject(reviewsDesired(`r${i}`)));
    const md = renderDriftMarkdown(drift(input(desired, [])), { cluster: "c", maxLines: 5 });
    assert.equal(md.match(/^\| `VirtualService\.networking\.istio\.io` /gm)?.length, 5);
    assert.match(md, /\n… and 7 more missing objects\.\n/);
  });
});
