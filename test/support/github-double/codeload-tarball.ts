/**
 * The archive codeload.github.com serves for `GET /repos/{owner}/{repo}/tarball/{ref}`:
 * a gzip'd tar whose entries all sit under `{owner}-{repo}-{shortsha}/`, opened
 * by a pax global header carrying the commit id (`comment=<sha>`, as
 * `git archive` writes it), directories before their contents, files 0644,
 * symbolic links as link entries.
 */
import { Buffer } from "node:buffer";
import { createGzip } from "node:zlib";
import { pack as tarPack } from "tar-stream";

export type TreeEntry = { kind: "file"; content: Uint8Array } | { kind: "symlink"; target: string };

export interface CodeloadTarballInput {
  /** Top-level directory, without the trailing slash: `acme-mesh-0123abc`. */
  prefix: string;
  sha: string;
  /** Repository-relative paths. */
  entries: ReadonlyMap<string, TreeEntry>;
  /** Commit time: every entry's mtime. */
  committedAt: Date;
}

export async function codeloadTarball(input: CodeloadTarballInput): Promise<Uint8Array> {
  const pack = tarPack();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on("end", resolve);
    gzip.on("error", reject);
    pack.on("error", reject);
  });
  const mtime = input.committedAt;
  // tar-stream writes no pax global header, so that block goes in first, by hand.
  gzip.write(paxGlobalHeader(paxRecord("comment", input.sha), mtime));
  pack.pipe(gzip);

  pack.entry({ name: `${input.prefix}/`, type: "directory", mode: 0o775, mtime });
  const written = new Set<string>();
  for (const path of [...input.entries.keys()].sort()) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (written.has(dir)) continue;
      written.add(dir);
      pack.entry({ name: `${input.prefix}/${dir}/`, type: "directory", mode: 0o775, mtime });
    }
    const entry = input.entries.get(path)!;
    if (entry.kind === "symlink") {
      pack.entry({ name: `${input.prefix}/${path}`, type: "symlink", linkname: entry.target, mode: 0o777, mtime });
    } else {
      pack.entry({ name: `${input.prefix}/${path}`, type: "file", mode: 0o664, mtime }, Buffer.from(entry.content.buffer, entry.content.byteOffset, entry.content.byteLength));
    }
  }
  pack.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** A pax extended-header record: `<length> <key>=<value>\n`, the length counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return Buffer.from(`${length}${body}`);
}

/** A ustar header block with typeflag `g` followed by its records, padded to 512-byte blocks. */
function paxGlobalHeader(records: Buffer, mtime: Date): Buffer {
  const header = Buffer.alloc(512);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, "0") + "\0";
  header.write("pax_global_header", 0, "ascii");
  header.write(octal(0o666, 8), 100, "ascii");
  header.write(octal(0, 8), 108, "ascii");
  header.write(octal(0, 8), 116, "ascii");
  header.write(octal(records.byteLength, 12), 124, "ascii");
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, "ascii");
  header.write("g", 156, "ascii");
  header.write("ustar\0" + "00", 257, "ascii");
  header.write("root", 265, "ascii");
  header.write("root", 297, "ascii");
  // The checksum is computed with its own field read as eight spaces.
  header.fill(" ", 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148, "ascii");
  const padding = Buffer.alloc((512 - (records.byteLength % 512)) % 512);
  return Buffer.concat([header, records, padding]);
}
