/**
 * Real webhook payloads GitHub sent, from @octokit/webhooks-examples
 * (api.github.com/index.json: one entry per event with its `examples`).
 * Each call returns a deep copy, so a test can edit it freely.
 */
import { createRequire } from "node:module";

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

// Payloads are JSON of unknown shape; tests read and edit them by GitHub's field names.
export type Payload = Record<string, any>;

/** The first example of `event` for which `pick` holds. */
export function webhookExample(event: string, pick: (payload: Payload) => boolean = () => true): Payload {
  const definition = definitions.find((d) => d.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const found = definition.examples.find((p) => pick(p as Payload));
  if (!found) throw new Error(`no "${event}" example matches`);
  return structuredClone(found) as Payload;
}
