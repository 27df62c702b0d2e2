/**
 * API discovery in its per-group-version form (API conventions, "API
 * discovery"): `/api` and `/apis` list the groups with their served and
 * preferred versions, `/api/v1` and `/apis/{group}/{version}` the resources
 * of one version. Every document is fetched at most once per port — a
 * rollout applies many objects of few kinds — and a failed fetch is not
 * cached, so the next call asks again. The aggregated form (KEP-3352) would
 * save requests on large clusters but is not served by every API server
 * meshplan must talk to; the per-group form is.
 */
import type { ResourceInfo } from "../../cluster/cluster-port.js";

/** Parsed JSON of a discovery path, or null when the server does not serve it (404). */
export type DiscoveryFetch = (path: string, subject: string) => Promise<unknown | null>;

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

interface ApiGroup {
  name: string;
  versions: { version: string }[];
  preferredVersion?: { version: string };
}

/** `v1` → core group; `apps/v1` → apps; anything else is no API version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } | null {
  const parts = apiVersion.split("/");
  if (parts.length === 1 && parts[0]) return { group: "", version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  return null;
}

export const groupVersionPath = (group: string, version: string) => (group === "" ? `/api/${version}` : `/apis/${group}/${version}`);

export class KubeDiscovery {
  private readonly documents = new Map<string, Promise<unknown>>();

  constructor(private readonly fetch: DiscoveryFetch) {}

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    const gv = splitApiVersion(apiVersion);
    if (!gv) return null;
    const resource = (await this.resources(gv.group, gv.version)).find((r) => r.kind === kind);
    return resource ? { group: gv.group, version: gv.version, kind, plural: resource.name, namespaced: resource.namespaced } : null;
  }

  async preferredResource(group: string, kind: string): Promise<ResourceInfo | null> {
    const served = await this.group(group);
    if (!served) return null;
    const preferred = served.preferredVersion?.version;
    const versions = [...(preferred ? [preferred] : []), ...served.versions.map((v) => v.version).filter((v) => v !== preferred)];
    for (const version of versions) {
      const info = await this.resourceFor(group === "" ? version : `${group}/${version}`, kind);
      if (info) return info;
    }
    return null;
  }

  /** The kinds of one group-version; subresources (`deployments/scale`) are not kinds and are left out. */
  private async resources(group: string, version: string): Promise<ApiResource[]> {
    const doc = (await this.document(groupVersionPath(group, version), `API discovery of ${group ? `${group}/${version}` : version}`)) as { resources?: ApiResource[] } | null;
    return (doc?.resources ?? []).filter((r) => !r.name.includes("/"));
  }

  /** A group with its versions: the core group from `/api` (APIVersions), the others from `/apis` (APIGroupList). */
  private async group(name: string): Promise<ApiGroup | undefined> {
    if (name === "") {
      const versions = ((await this.document("/api", "API discovery")) as { versions?: string[] } | null)?.versions ?? [];
      return versions.length > 0 ? { name, versions: versions.map((version) => ({ version })), preferredVersion: { version: versions[0]! } } : undefined;
    }
    const groups = ((await this.document("/apis", "API discovery")) as { groups?: ApiGroup[] } | null)?.groups ?? [];
    return groups.find((g) => g.name === name);
  }

  private document(path: string, subject: string): Promise<unknown> {
    let doc = this.documents.get(path);
    if (!doc) {
      doc = this.fetch(path, subject);
      this.documents.set(path, doc);
      doc.catch(() => this.documents.delete(path));
    }
    return doc;
  }
}
