/**
 * A generated tree as one file on disk: the benchmark generates each
 * repository once, in the parent process, and each measuring process reads
 * it back as bytes without paying (in time or in peak RSS) for generating it.
 *
 * Layout: for each file, a 4-byte path length, the UTF-8 path, a 4-byte
 * content length and the content (little-endian lengths).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { SourceFile } from "../src/manifests/types.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function writeTreeFile(file: string, files: readonly SourceFile[]): void {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const f of files) {
    const path = encoder.encode(f.path);
    const content = typeof f.content === "string" ? encoder.encode(f.content) : f.content;
    const head = new Uint8Array(4 + path.length + 4);
    const view = new DataView(head.buffer);
    view.setUint32(0, path.length, true);
    head.set(path, 4);
    view.setUint32(4 + path.length, content.length, true);
    parts.push(head, content);
    size += head.length + content.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  writeFileSync(file, out);
}

/** The files of a tree file; each content is a view into one buffer, as a tarball reader would hand them over. */
export function readTreeFile(file: string): SourceFile[] {
  const read = readFileSync(file);
  const bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const files: SourceFile[] = [];
  let at = 0;
  while (at < bytes.length) {
    const pathLength = view.getUint32(at, true);
    const path = decoder.decode(bytes.subarray(at + 4, at + 4 + pathLength));
    at += 4 + pathLength;
    const contentLength = view.getUint32(at, true);
    files.push({ path, content: bytes.subarray(at + 4, at + 4 + contentLength) });
    at += 4 + contentLength;
  }
  return files;
}
