/**
 * Writes the JSON Schema of every `--format json` output to docs/schema/.
 * Run with `npm run docs:schema` after changing src/report/json-schema.ts;
 * test/report/json-schema.test.ts fails while the files are stale.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemaDocuments } from "../src/report/json-schema.js";

const dir = fileURLToPath(new URL("../docs/schema/", import.meta.url));
mkdirSync(dir, { recursive: true });
for (const { file, content } of jsonSchemaDocuments()) {
  writeFileSync(join(dir, file), content);
  process.stdout.write(`wrote docs/schema/${file}\n`);
}
