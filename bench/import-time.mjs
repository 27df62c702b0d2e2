// Imports one module in this (fresh) process and prints how long the import took, in ms.
// Plain JavaScript, started without loaders, so nothing else is loaded first.
import { pathToFileURL } from "node:url";

const start = performance.now();
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(`${performance.now() - start}\n`);
