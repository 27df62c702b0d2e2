// Imports one module in this (fresh) process and prints how long the import took, in ms.
// Plain JavaScript, started without loaders, so nothing else is loaded first.
import { pathToFileURL } from "node:url";

const start = performance.now();
await import(pathToFileURL(process.argv[2]).href);
// Read the clock before touching process.stdout: Node creates that stream on first use, which
// costs several milliseconds, the same for every module, and is no part of the import.
const ms = performance.now() - start;
process.stdout.write(`${ms}\n`);
