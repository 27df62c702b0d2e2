/**
 * `--format json`: one versioned document per command, keys in a fixed order
 * (the order of the schemas in json-schema.ts, whatever order the engines
 * built their objects in), 2-space indent, trailing newline.
 * docs/json-output.md describes the format; docs/schema/ holds its JSON Schema.
 */
import type { z } from "zod";
import type { Finding } from "../findings.js";
import type { TraceResult } from "../routing/trace-types.js";
import type { RoutingTable } from "../routing/types.js";
import { findingsJsonSchema, planJsonSchema, routesJsonSchema, traceJsonSchema } from "./json-schema.js";
import type { PlanReport } from "./plan-report.js";
import { schemaVersion } from "./schema-version.js";

export function renderPlanJson(report: PlanReport): string {
  return render(planJsonSchema, report);
}

export function renderRoutesJson(table: RoutingTable): string {
  return render(routesJsonSchema, { schemaVersion, hosts: table.hosts, access: table.access });
}

/** DESIGN.md contract: `{ request, allowed, deniedBy, matchedBy, backends, timeout, retries, fault, mirror }`, plus `noRoute` and the version. */
export function renderTraceJson(result: TraceResult): string {
  return render(traceJsonSchema, { schemaVersion, ...result });
}

export function renderFindingsJson(findings: readonly Finding[]): string {
  return render(findingsJsonSchema, { schemaVersion, findings });
}

/**
 * Parsing through the schema orders keys and drops anything the format does
 * not define. A value that does not fit is a bug in meshplan (the types and
 * schemas are checked against each other), so it fails loudly.
 */
function render(schema: z.ZodType, value: unknown): string {
  return `${JSON.stringify(schema.parse(value), null, 2)}\n`;
}
