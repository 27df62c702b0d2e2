/** The values the manifest loader produces. Pure data; no I/O. */

export type FieldPath = readonly (string | number)[];

export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** A file handed to the loader: from a directory, a git revision, or memory. */
export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. `networking/reviews.yaml`. */
  path: string;
  /** Raw bytes (decoded as strict UTF-8 by the loader) or an already-decoded string. */
  content: Uint8Array | string;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** As written in metadata.namespace; null when absent (or for cluster-scoped kinds). */
  namespace: string | null;
  name: string;
}

/** One Kubernetes-style object from one YAML/JSON document. */
export interface Resource {
  apiVersion: string;
  /** API group: "" for the core group, e.g. "networking.istio.io". */
  group: string;
  version: string;
  kind: string;
  name: string;
  /** As written in metadata.namespace; null when absent. */
  namespace: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The whole document as plain JSON values. Never mutated after loading. */
  object: Record<string, unknown>;
  file: string;
  /** 0-based index of the document inside its file. */
  docIndex: number;
  /** Where the document starts. */
  position: SourcePosition;
  /**
   * Position of the value at `path` (e.g. `["spec","http",0,"route"]`). If the
   * path does not exist, the position of its nearest existing ancestor.
   */
  locate(path: FieldPath): SourcePosition;
}

/** `group/kind` key, "" group for core: `"/Service"`, `"networking.istio.io/VirtualService"`. */
export type GroupKind = `${string}/${string}`;

export function groupKindOf(r: { group: string; kind: string }): GroupKind {
  return `${r.group}/${r.kind}`;
}

/** Splits `networking.istio.io/v1beta1` into group and version; `v1` is the core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
