/**
 * Drift metrics. In Lambda: CloudWatch embedded metric format through
 * Powertools for AWS Lambda (one EMF document per check, written to stdout,
 * where CloudWatch Logs turns it into metrics without an API call); namespace
 * `meshplan`, dimension `cluster`. Elsewhere (`meshplan serve`): a log line.
 */
import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";
import type { DriftMeasurement, DriftMetrics, Logger } from "../../jobs/ports.js";

export const METRICS_NAMESPACE = "meshplan";

/** The metrics one measurement becomes; `CheckFailed` is 1 when the cluster could not be checked. */
export function driftMetricValues(m: DriftMeasurement): Record<string, number> {
  return {
    DriftedObjects: m.driftedObjects,
    DriftedFields: m.driftedFields,
    MissingObjects: m.missing,
    UnexpectedObjects: m.unexpected,
    DriftCorrected: m.corrected ? 1 : 0,
    CheckFailed: m.status === "unreachable" || m.status === "error" ? 1 : 0,
  };
}

export function emfDriftMetrics(options: { serviceName?: string; metrics?: Metrics } = {}): DriftMetrics {
  const metrics = options.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: options.serviceName ?? "meshplan-drift" });
  return {
    record(m) {
      metrics.addDimension("cluster", m.cluster);
      for (const [name, value] of Object.entries(driftMetricValues(m))) metrics.addMetric(name, MetricUnit.Count, value);
      metrics.publishStoredMetrics();
    },
  };
}

export function logDriftMetrics(logger: Logger): DriftMetrics {
  return {
    record(m) {
      logger.info("drift metrics", { cluster: m.cluster, status: m.status, ...driftMetricValues(m) });
    },
  };
}
