/** A logger keyed by a delivery or a job, from any `Logger`: the JSON logger's own `child`, else a wrapper adding the fields. */
import type { Logger } from "../../jobs/ports.js";

export function childLogger(logger: Logger, fields: Record<string, unknown>): Logger {
  const withChild = logger as Logger & { child?: unknown };
  if (typeof withChild.child === "function") return (withChild.child as (f: Record<string, unknown>) => Logger).call(logger, fields);
  return {
    info: (message, more) => logger.info(message, { ...fields, ...more }),
    warn: (message, more) => logger.warn(message, { ...fields, ...more }),
    error: (message, more) => logger.error(message, { ...fields, ...more }),
  };
}
