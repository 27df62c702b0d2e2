import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadManifests } from "../../src/manifests/load.js";
import type { FieldPath, SourceFile } from "../../src/manifests/types.js";
import { corpusPath } from "../support/corpus.js";

function corpusFile(rel: string): SourceFile {
  return { path: rel, content: readFileSync(corpusPath(rel)) };
}

const badDir = fileURLToPath(new URL("../testdata/bad/", import.meta.url));
function badFile(name: string): SourceFile {
  return { path: `bad/${name}`, content: readFileSync(join(badDir, name)) };
}

const goodService = "apiVersion: v1\nkind: Service\nmetadata:\n  name: good\nspec:\n  ports:\n  - port: 80\n";

describe("loadManifests: field positions", () => {
  const vs8020 = loadManifests([corpusFile("bookinfo/networking/virtual-service-reviews-80-20.yaml")]).resources[0]!;
  const cases: { path: FieldPath; line: number; column: number; why: string }[] = [
    { path: ["spec", "http", 0, "route", 1, "weight"], line: 17, column: 15, why: "a scalar is located at its value" },
    { path: ["spec", "http", 0, "route", 0, "destination", "subset"], line: 12, column: 17, why: "nested scalar" },
    { path: ["spec", "http", 0, "route"], line: 9, column: 5, why: "a block sequence is located at its key" },
    { path: ["spec", "http", 0, "route", 1], line: 14, column: 7, why: "a sequence item is located at the item" },
    { path: ["spec", "hosts", 0], line: 7, column: 7, why: "a scalar sequence item" },
    { path: ["spec", "http", 0, "route", 5, "weight"], line: 9, column: 5, why: "a missing item falls back to its parent" },
    { path: ["spec", "tcp"], line: 5, column: 1, why: "a missing field falls back to its parent" },
    { path: [], line: 1, column: 1, why: "the empty path is the document" },
  ];
  for (const c of cases) {
    it(`locates ${c.path.join(".") || "(root)"} of reviews 80/20 at ${c.line}:${c.column} (${c.why})`, () => {
      assert.deepEqual(vs8020.locate(c.path), { line: c.line, column: c.column });
    });
  }

  it("locates the end-user header match of the jason rule at its exact value", () => {
    const [vs] = loadManifests([corpusFile("bookinfo/networking/virtual-service-reviews-jason-v2-v3.yaml")]).resources;
    assert.deepEqual(vs!.locate(["spec", "http", 0, "match", 0, "headers", "end-user", "exact"]), { line: 12, column: 18 });
    assert.deepEqual(vs!.locate(["spec", "http", 1, "route", 0, "destination", "subset"]), { line: 20, column: 17 });
  });

  it("locates a field with no value at its key", () => {
    const [cm] = loadManifests([{ path: "cm.yaml", content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" }]).resources;
    assert.deepEqual(cm!.locate(["data"]), { line: 5, column: 1 });
    assert.deepEqual(cm!.locate(["data", "missing"]), { line: 5, column: 1 });
  });

  it("locates fields inherited through a YAML merge key in the anchored mapping", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: merged",
      "  labels: &common",
      "    app: reviews",
      "  annotations:",
      "    <<: *common",
      "    owner: team",
    ].join("\n");
    const [cm] = loadManifests([{ path: "m.yaml", content: text }]).resources;
    assert.deepEqual(cm!.annotations, { app: "reviews", owner: "team" });
    assert.deepEqual(cm!.locate(["metadata", "annotations", "app"]), { line: 6, column: 10 });
    assert.deepEqual(cm!.locate(["metadata", "annotations", "owner"]), { line: 9, column: 12 });
  });
});

describe("loadManifests: documents and lists", () => {
  it("indexes every document of a multi-document file with its start line", () => {
    const { resources, findings } = loadManifests([corpusFile("bookinfo/networking/destination-rule-all.yaml")]);
    assert.deepEqual(findings, []);
    assert.deepEqual(
      resources.map((r) => [r.docIndex, r.name, r.position.line]),
      [
        [0, "productpage", 1],
        [1, "reviews", 12],
        [2, "ratings", 29],
        [3, "details", 49],
      ],
    );
    const reviews = resources[1]!;
    assert.equal(reviews.group, "networking.istio.io");
    assert.equal(reviews.version, "v1");
    assert.equal(reviews.file, "bookinfo/networking/destination-rule-all.yaml");
    assert.deepEqual(reviews.locate(["spec", "subsets", 2, "name"]), { line: 25, column: 11 });
  });

  it("expands kind: List into its items, each located inside the list (istioctl analyze-list-type)", () => {
    const { resources, findings } = loadManifests([corpusFile("istio-analyzers/testdata/analyze-list-type.yaml")]);
    assert.deepEqual(findings, []);
    assert.deepEqual(
      resources.map((r) => [r.kind, r.name, r.docIndex, r.position.line, r.position.column]),
      [
        ["Gateway", "alpha", 0, 1, 1],
        ["Gateway", "beta-l", 1, 19, 5],
        ["Gateway", "alpha-l", 1, 34, 5],
      ],
    );
    assert.deepEqual(resources[2]!.locate(["spec", "servers", 0, "port", "name"]), { line: 44, column: 19 });
  });

  it("expands a typed *List and reports an item that is not an object", () => {
    const text = [
      "apiVersion: v1",
      "kind: ServiceList",
      "items:",
      "- apiVersion: v1",
      "  kind: Service",
      "  metadata: {name: a}",
      "- kind: Service",
      "  metadata: {name: b}",
    ].join("\n");
    const { resources, findings } = loadManifests([{ path: "list.yaml", content: text }]);
    assert.deepEqual(resources.map((r) => r.name), ["a"]);
    assert.deepEqual(findings.map((f) => [f.code, f.line, f.column]), [["MP0003", 7, 3]]);
  });

  it("keeps a *List kind without items as an object of its own", () => {
    const text = "apiVersion: example.com/v1\nkind: AllowList\nmetadata:\n  name: egress\nspec:\n  hosts: [a]\n";
    const { resources } = loadManifests([{ path: "allow.yaml", content: text }]);
    assert.deepEqual(resources.map((r) => [r.kind, r.name]), [["AllowList", "egress"]]);
  });

  it("skips documents that hold only comments or separators", () => {
    const text = "# header comment\n---\n---\n# nothing here\n---\n" + goodService + "---\n";
    const { resources, findings } = loadManifests([{ path: "sparse.yaml", content: text }]);
    assert.deepEqual(findings, []);
    // The comment before the first `---` is not a document of its own.
    assert.deepEqual(resources.map((r) => [r.name, r.docIndex, r.position.line]), [["good", 2, 6]]);
  });

  it("parses JSON manifests with positions", () => {
    const json = '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "j", "namespace": "web"},\n  "spec": {"ports": [{"port": 8080}]}\n}\n';
    const [svc] = loadManifests([{ path: "svc.json", content: new TextEncoder().encode(json) }]).resources;
    assert.equal(svc!.namespace, "web");
    assert.deepEqual(svc!.locate(["spec", "ports", 0, "port"]), { line: 5, column: 31 });
  });

  it("strips a UTF-8 byte order mark from bytes and from strings", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(goodService)]);
    for (const content of [bytes, `\uFEFF${goodService}`]) {
      const { resources, findings } = loadManifests([{ path: "bom.yaml", content }]);
      assert.deepEqual(findings, []);
      assert.equal(resources[0]!.apiVersion, "v1");
      assert.deepEqual(resources[0]!.position, { line: 1, column: 1 });
    }
  });

  it("reads scalars as kubectl does (YAML 1.1 booleans and octals, timestamps as strings)", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: scalars",
      "  namespace: ''",
      "  labels:",
      "    istio-injection: on",
      "    quoted: 'on'",
      "data:",
      "  mode: 0644",
      "  when: 2024-01-02",
      "  flag: yes",
    ].join("\n");
    const [cm] = loadManifests([{ path: "s.yaml", content: text }]).resources;
    const obj = cm!.object as { metadata: { labels: Record<string, unknown> }; data: Record<string, unknown> };
    assert.equal(obj.metadata.labels["istio-injection"], true);
    assert.equal(obj.data.mode, 420);
    assert.equal(obj.data.when, "2024-01-02");
    assert.equal(obj.data.flag, true);
    // Labels of a Resource are the string ones; the boolean is the schema's to report.
    assert.deepEqual(cm!.labels, { quoted: "on" });
    assert.equal(cm!.namespace, null);
  });
});

describe("loadManifests: bad input becomes findings while the rest loads", () => {
  const cases: { file: string; findings: [code: string, line: number, column: number][]; loaded: string[] }[] = [
    { file: "syntax-error.yaml", findings: [["MP0001", 15, 1]], loaded: ["before", "after"] },
    { file: "duplicate-key.yaml", findings: [["MP0002", 14, 7]], loaded: ["reviews"] },
    {
      file: "not-an-object.yaml",
      findings: [
        ["MP0003", 2, 1],
        ["MP0003", 4, 1],
        ["MP0003", 7, 1],
        ["MP0003", 11, 1],
        ["MP0003", 17, 1],
      ],
      loaded: ["complete"],
    },
    { file: "alias-bomb.yaml", findings: [["MP0004", 7, 10]], loaded: ["fine"] },
  ];
  for (const c of cases) {
    it(`${c.file} gives ${c.findings.map((f) => f[0]).join(", ")} and still loads ${c.loaded.join(", ")} and the next file`, () => {
      const { resources, findings } = loadManifests([badFile(c.file), { path: "good.yaml", content: goodService }]);
      assert.deepEqual(
        findings.map((f) => [f.code, f.line, f.column]),
        c.findings,
      );
      for (const f of findings) {
        assert.equal(f.file, `bad/${c.file}`);
        assert.equal(f.severity, "error");
      }
      assert.deepEqual(resources.map((r) => r.name), [...c.loaded, "good"]);
    });
  }

  it("keeps the last value of a duplicated key and names the key", () => {
    const { resources, findings } = loadManifests([badFile("duplicate-key.yaml")]);
    const route = (resources[0]!.object as { spec: { http: { route: { weight: number }[] }[] } }).spec.http[0]!.route;
    assert.equal(route[0]!.weight, 100);
    assert.match(findings[0]!.message, /"weight"/);
  });

  it("skips a file over maxFileBytes with MP0005 on line 1", () => {
    const big = goodService + `  - port: 81\n`.repeat(200);
    const { resources, findings } = loadManifests(
      [
        { path: "big.yaml", content: new TextEncoder().encode(big) },
        { path: "big-string.yaml", content: big },
        { path: "small.yaml", content: goodService },
      ],
      { maxFileBytes: 1024 },
    );
    assert.deepEqual(
      findings.map((f) => [f.code, f.file, f.line]),
      [
        ["MP0005", "big.yaml", 1],
        ["MP0005", "big-string.yaml", 1],
      ],
    );
    assert.deepEqual(resources.map((r) => r.file), ["small.yaml"]);
  });

  it("counts multi-byte characters of string content against maxFileBytes", () => {
    const text = `${goodService}data: "${"é".repeat(300)}"\n`;
    assert.ok(text.length < 1024);
    const { findings } = loadManifests([{ path: "accents.yaml", content: text }], { maxFileBytes: text.length + 10 });
    assert.deepEqual(findings.map((f) => f.code), ["MP0005"]);
  });

  const invalidUtf8: { name: string; bytes: number[]; column: number }[] = [
    { name: "a Latin-1 é", bytes: [0x63, 0x61, 0x66, 0xe9], column: 12 },
    { name: "an overlong encoding of NUL", bytes: [0x78, 0xc0, 0x80], column: 10 },
    { name: "an encoded UTF-16 surrogate", bytes: [0xed, 0xa0, 0x80], column: 9 },
    { name: "a truncated 4-byte sequence", bytes: [0x78, 0x79, 0xf0, 0x9f, 0x98], column: 11 },
  ];
  for (const c of invalidUtf8) {
    it(`reports ${c.name} as MP0006 at its line and column`, () => {
      const head = new TextEncoder().encode("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ");
      const content = new Uint8Array([...head, ...c.bytes, 0x0a]);
      const { resources, findings } = loadManifests([
        { path: "latin1.yaml", content },
        { path: "good.yaml", content: goodService },
      ]);
      assert.deepEqual(findings.map((f) => [f.code, f.file, f.line, f.column]), [["MP0006", "latin1.yaml", 4, c.column]]);
      assert.deepEqual(resources.map((r) => r.file), ["good.yaml"]);
    });
  }

  it("caps alias expansion with maxAliasCount", () => {
    const text = `${goodService}  - port: &p 81\n  - port: *p\n  - port: *p\n  - port: *p\n`;
    assert.deepEqual(loadManifests([{ path: "a.yaml", content: text }]).findings, []);
    const capped = loadManifests([{ path: "a.yaml", content: text }], { maxAliasCount: 2 });
    assert.deepEqual(capped.findings.map((f) => [f.code, f.line]), [["MP0004", 9]]);
    assert.deepEqual(capped.resources, []);
  });

  it("reports nesting deeper than the parser's stack as MP0001 instead of throwing", () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const { resources, findings } = loadManifests([
      { path: "deep.yaml", content: deep },
      { path: "good.yaml", content: goodService },
    ]);
    assert.deepEqual(findings.map((f) => [f.code, f.file]), [["MP0001", "deep.yaml"]]);
    assert.deepEqual(resources.map((r) => r.file), ["good.yaml"]);
  });

  it("rejects a non-string metadata.namespace as MP0003 at the field", () => {
    const text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: [a, b]\n";
    const { resources, findings } = loadManifests([{ path: "ns.yaml", content: text }]);
    assert.deepEqual(resources, []);
    assert.deepEqual(findings.map((f) => [f.code, f.line, f.column]), [["MP0003", 5, 14]]);
  });
});

describe("loadManifests on the whole corpus", () => {
  const root = corpusPath("");
  const files: SourceFile[] = [];
  (function collect(dir: string) {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) collect(abs);
      else if (/\.ya?ml$/.test(name)) files.push({ path: relative(root, abs), content: readFileSync(abs) });
    }
  })(root);

  it("loads every YAML file without throwing; only the two broken OSM doc blocks are syntax errors", () => {
    assert.ok(files.length > 300);
    const { resources, findings } = loadManifests(files);
    assert.ok(resources.length > 700);
    const syntaxErrors = findings.filter((f) => f.code === "MP0001").map((f) => f.file);
    assert.deepEqual(syntaxErrors, [
      "osm/docs-extracted/demos__tcp_traffic_routing/L107-135_unparsed.yaml",
      "osm/docs-extracted/guides__certificate_management__certificate-rotation/L195-208_unparsed.yaml",
    ]);
    assert.ok(findings.every((f) => f.file !== null && f.line !== null && f.line >= 1));
  });

  it("reports the tab-indented MeshRootCertificate at the tab", () => {
    const rel = "osm/docs-extracted/guides__certificate_management__certificate-rotation/L195-208_unparsed.yaml";
    const { findings } = loadManifests([corpusFile(rel)]);
    assert.deepEqual(findings.map((f) => [f.code, f.line, f.column]), [["MP0001", 10, 7]]);
  });

  it("reports the unindented TCPRoute metadata and the mis-indented TrafficTarget of the TCP routing demo", () => {
    const rel = "osm/docs-extracted/demos__tcp_traffic_routing/L107-135_unparsed.yaml";
    const { resources, findings } = loadManifests([corpusFile(rel)]);
    assert.deepEqual(resources, []);
    // The TCPRoute's metadata lost its indentation, so it has no name; the TrafficTarget does not parse.
    assert.deepEqual(findings.map((f) => [f.code, f.line]), [
      ["MP0003", 4],
      ["MP0001", 24],
    ]);
  });
});
