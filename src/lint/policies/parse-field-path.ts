/**
 * The `path` of a validation: where in the resource its finding points. The
 * same notation findings print (`spec.http[0].route`), plus `['key']` for keys
 * that contain dots, as in Kubernetes ValidatingAdmissionPolicy `fieldPath`
 * (`metadata.labels['app.kubernetes.io/name']`). A leading `.` is allowed.
 */
import type { FieldPath } from "../../manifests/types.js";

/** The path's segments, or null when it is not in this notation. */
export function parseFieldPath(text: string): FieldPath | null {
  const out: (string | number)[] = [];
  let i = text.startsWith(".") ? 1 : 0;
  if (i >= text.length) return null;
  let expectName = true;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) return null;
      const inner = text.slice(i + 1, close);
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      if (quoted) out.push(quoted[1] ?? quoted[2] ?? "");
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else return null;
      i = close + 1;
      expectName = false;
      continue;
    }
    if (c === ".") {
      if (expectName) return null;
      i++;
      expectName = true;
      if (i >= text.length) return null;
      continue;
    }
    if (!expectName) return null;
    const m = /^[^.[\]'"]+/.exec(text.slice(i));
    if (!m) return null;
    out.push(m[0]);
    i += m[0].length;
    expectName = false;
  }
  return out;
}
