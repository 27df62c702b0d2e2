/**
 * Desired and live objects shaped as the API server returns them: managedFields entries with
 * FieldsV1 sets written out by hand the way the server computes them. Istio's CRDs declare no
 * list types, so their lists are atomic and an Update that edits anything inside `spec.http`
 * takes the whole list from meshplan (`"f:http": {}` moves to the editor's entry).
 */
import type { LiveObject } from "../../src/cluster/cluster-port.js";
import type { DesiredObject } from "../../src/cluster/drift.js";
import { APPLYSET_PART_OF_LABEL } from "../../src/cluster/apply-set.js";

export const SET_ID = "applyset-Fm9ZUJGWw3y2Q9qC-S5h7Yt1ONp7h7BP6O8Vo6sG0Pk-v1";
export const APPLIED_AT = "2026-11-20T08:00:00Z";
export const EDITED_AT = "2026-11-24T10:00:00Z";

export interface ManagedEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export function entry(
  manager: string,
  operation: "Apply" | "Update",
  time: string,
  fieldsV1: Record<string, unknown>,
  extra: { apiVersion?: string; subresource?: string } = {},
): ManagedEntry {
  return {
    manager,
    operation,
    apiVersion: extra.apiVersion ?? "networking.istio.io/v1",
    time,
    fieldsType: "FieldsV1",
    fieldsV1,
    ...(extra.subresource ? { subresource: extra.subresource } : {}),
  };
}

const clone = <T>(v: T): T => structuredClone(v);

/** The reviews VirtualService as git has it, membership label already set. */
export function reviewsDesired(name = "reviews", namespace = "bookinfo"): Record<string, unknown> {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name, namespace, labels: { app: "reviews", [APPLYSET_PART_OF_LABEL]: SET_ID } },
    spec: {
      hosts: ["reviews"],
      http: [
        {
          name: "jason",
          match: [{ headers: { "end-user": { exact: "jason" } } }],
          route: [{ destination: { host: "reviews", subset: "v2" } }],
        },
        {
          name: "default",
          route: [
            { destination: { host: "reviews", subset: "v1" }, weight: 50 },
            { destination: { host: "reviews", subset: "v3" }, weight: 50 },
          ],
        },
      ],
    },
  };
}

/** meshplan's Apply entry for `reviewsDesired`, with or without `f:http` (lost to an editor). */
export function meshplanVsFields(withHttp = true): Record<string, unknown> {
  return {
    "f:metadata": { "f:labels": { "f:app": {}, [`f:${APPLYSET_PART_OF_LABEL}`]: {} } },
    "f:spec": withHttp ? { "f:hosts": {}, "f:http": {} } : { "f:hosts": {} },
  };
}

/** Istio writes status through the status subresource. */
export const istioStatusEntry = entry("pilot-discovery", "Update", APPLIED_AT, { "f:status": { "f:observedGeneration": {} } }, { subresource: "status" });

/** `desired` as the server returns it right after meshplan applied it: server metadata, status, managedFields. */
export function asApplied(desired: Record<string, unknown>, managedFields: unknown[] = [entry("meshplan", "Apply", APPLIED_AT, meshplanVsFields()), istioStatusEntry]): LiveObject {
  const o = clone(desired) as LiveObject;
  o.metadata = {
    ...o.metadata,
    uid: "4b1d7a52-8a6e-4c1e-9f43-0c6f4f1a2b3c",
    resourceVersion: "48213",
    generation: 1,
    creationTimestamp: APPLIED_AT,
    managedFields,
  };
  o["status"] = { observedGeneration: 1 };
  return o;
}

export function desiredObject(object: Record<string, unknown>, file?: string, line?: number): DesiredObject {
  const apiVersion = object["apiVersion"] as string;
  const metadata = object["metadata"] as { name: string; namespace?: string };
  const slash = apiVersion.lastIndexOf("/");
  return {
    ref: {
      apiVersion,
      group: slash < 0 ? "" : apiVersion.slice(0, slash),
      kind: object["kind"] as string,
      namespace: metadata.namespace ?? null,
      name: metadata.name,
    },
    object,
    ...(file !== undefined ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
  };
}

/** The reviews Service in git, and as the API server stores it with its defaults filled in. */
export function reviewsServiceDesired(): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "reviews", namespace: "bookinfo", labels: { app: "reviews", [APPLYSET_PART_OF_LABEL]: SET_ID } },
    spec: { selector: { app: "reviews" }, ports: [{ name: "http", port: 9080 }] },
  };
}

export function reviewsServiceLive(): LiveObject {
  const live = asApplied(reviewsServiceDesired(), [
    entry(
      "meshplan",
      "Apply",
      APPLIED_AT,
      {
        "f:metadata": { "f:labels": { "f:app": {}, [`f:${APPLYSET_PART_OF_LABEL}`]: {} } },
        "f:spec": {
          // Service ports are an associative list keyed by port and protocol; the key holds the defaulted protocol.
          "f:ports": { 'k:{"port":9080,"protocol":"TCP"}': { ".": {}, "f:name": {}, "f:port": {} } },
          "f:selector": {},
        },
      },
      { apiVersion: "v1" },
    ),
  ]);
  live["spec"] = {
    clusterIP: "10.96.12.7",
    clusterIPs: ["10.96.12.7"],
    internalTrafficPolicy: "Cluster",
    ipFamilies: ["IPv4"],
    ipFamilyPolicy: "SingleStack",
    ports: [{ name: "http", port: 9080, protocol: "TCP", targetPort: 9080 }],
    selector: { app: "reviews" },
    sessionAffinity: "None",
    type: "ClusterIP",
  };
  live["status"] = { loadBalancer: {} };
  return live;
}
