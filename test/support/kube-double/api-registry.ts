/**
 * Which API groups, versions and resources the double serves, and the
 * discovery documents that announce them (API conventions, "API discovery";
 * the legacy per-group form: APIVersions, APIGroupList, APIResourceList).
 * Aggregated discovery (KEP-3352) is not served: a client asking for
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
 * gets plain `application/json` and falls back to the per-group documents, as
 * client-go does against servers older than v1.26.
 */
import type { JsonObject } from "./json-value.js";
import type { CrdDefinition, ResourceType } from "./resource-types.js";
import { apiVersionOf, builtInTypes, customType } from "./resource-types.js";

/** The verbs the double implements; watch and deletecollection are not among them, so discovery does not claim them. */
export const servedVerbs = ["create", "delete", "get", "list", "patch", "update"];

export class ApiRegistry {
  private readonly types: ResourceType[] = builtInTypes();

  installCrd(crd: CrdDefinition): ResourceType {
    const existing = this.types.find((t) => t.group === crd.group && t.version === crd.version && t.plural === crd.plural);
    if (existing) return existing;
    if (!crd.group.includes(".")) throw new Error(`a CRD's group must contain a dot: ${crd.group}`);
    const type = customType(crd);
    this.types.push(type);
    return type;
  }

  uninstallCrd(group: string, plural: string): ResourceType[] {
    const gone = this.types.filter((t) => t.custom && t.group === group && t.plural === plural);
    for (const t of gone) this.types.splice(this.types.indexOf(t), 1);
    return gone;
  }

  resource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  groupVersions(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const t of this.types) {
      if (t.group === "") continue;
      const versions = groups.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      groups.set(t.group, versions);
    }
    return [...groups].map(([group, versions]) => ({ group, versions }));
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.types.some((t) => t.group === group && t.version === version);
  }

  apiVersions(serverAddress: string): JsonObject {
    return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
  }

  private groupDocument(group: string, versions: string[]): JsonObject {
    const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
    return { name: group, versions: list, preferredVersion: list[0]! };
  }

  apiGroupList(): JsonObject {
    return { kind: "APIGroupList", apiVersion: "v1", groups: this.groupVersions().map((g) => this.groupDocument(g.group, g.versions)) };
  }

  apiGroup(group: string): JsonObject | undefined {
    const g = this.groupVersions().find((x) => x.group === group);
    return g ? { kind: "APIGroup", apiVersion: "v1", ...this.groupDocument(g.group, g.versions) } : undefined;
  }

  apiResourceList(group: string, version: string): JsonObject | undefined {
    if (!this.hasGroupVersion(group, version)) return undefined;
    const resources = this.types
      .filter((t) => t.group === group && t.version === version)
      .map((t) => ({
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: servedVerbs,
        ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
      }));
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf({ group, version }), resources };
  }
}
