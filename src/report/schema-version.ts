/**
 * Version of every JSON document meshplan prints (docs/json-output.md). Within
 * `meshplan/v1` fields are only added; removing, renaming or retyping one
 * makes `meshplan/v2`.
 */
export const schemaVersion = "meshplan/v1";
export type SchemaVersion = typeof schemaVersion;
