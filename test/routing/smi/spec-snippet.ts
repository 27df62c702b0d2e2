/**
 * The SMI spec documents often leave apiVersion out of their examples. To run
 * those examples through the loader, a test reads the corpus file and adds
 * the apiVersion of the spec version it comes from to every document that
 * has none (one added line per document, at the document's indentation).
 */
import { readFileSync } from "node:fs";
import { corpusPath } from "../../support/corpus.js";

export function specSnippet(rel: string, apiVersionByKind: Record<string, string>): string {
  const text = readFileSync(corpusPath(rel), "utf8");
  return text
    .split(/^---[ \t]*$/m)
    .map((doc) => {
      if (/^\s*apiVersion:/m.test(doc)) return doc;
      const kind = /^([ \t]*)kind:[ \t]*(\S+)/m.exec(doc);
      if (!kind) return doc;
      const apiVersion = apiVersionByKind[kind[2]!];
      if (!apiVersion) return doc;
      return doc.replace(kind[0], `${kind[1]}apiVersion: ${apiVersion}\n${kind[0]}`);
    })
    .join("---");
}
