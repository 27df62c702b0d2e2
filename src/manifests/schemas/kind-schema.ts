import type { z } from "zod";

/** The schema of one kind: which group/versions it covers and the zod schema of the whole object. */
export interface KindSchema {
  group: string;
  kind: string;
  /** Versions served today and validated with `schema`. */
  versions: readonly string[];
  /**
   * Versions that Kubernetes or the project no longer serves but that meshplan
   * still parses (with the same `schema`, or `removedSchema`) to explain the migration.
   */
  removedVersions?: readonly string[];
  /** How to migrate off a removed version, for the finding's hint. */
  migration?: string;
  namespaced: boolean;
  /**
   * Validates the whole object (apiVersion, kind, metadata, spec...). Objects
   * must be loose (`z.looseObject`) so unknown fields pass through; only wrong
   * types and missing required fields are violations.
   */
  schema: z.ZodType;
}
