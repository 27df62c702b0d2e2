/**
 * Every destination a VirtualService names, with the field that names it:
 * `http[].route[].destination`, `tcp[].route[].destination`,
 * `tls[].route[].destination` and the http mirrors (`mirror`,
 * `mirrors[].destination`), as istioctl's virtualservice analyzers walk them.
 */
import type { IstioDestination, VirtualService } from "../../../manifests/schemas/istio.js";
import type { FieldPath } from "../../../manifests/types.js";

export interface VirtualServiceDestination {
  protocol: "http" | "tcp" | "tls";
  /** `route` for a weighted destination, `mirror` for a mirror target. */
  role: "route" | "mirror";
  /** The destination object (a route entry's `destination`, or the mirror itself). */
  path: FieldPath;
  /** Absent when the route entry has no `destination` at all. */
  destination: IstioDestination | undefined;
}

export function virtualServiceDestinations(vs: VirtualService): VirtualServiceDestination[] {
  const spec = vs.spec ?? {};
  const out: VirtualServiceDestination[] = [];
  for (const protocol of ["http", "tcp", "tls"] as const) {
    (spec[protocol] ?? []).forEach((rule, i) => {
      (rule.route ?? []).forEach((entry, j) =>
        out.push({ protocol, role: "route", path: ["spec", protocol, i, "route", j, "destination"], destination: entry.destination }),
      );
    });
  }
  (spec.http ?? []).forEach((rule, i) => {
    if (rule.mirror) out.push({ protocol: "http", role: "mirror", path: ["spec", "http", i, "mirror"], destination: rule.mirror });
    (rule.mirrors ?? []).forEach((m, j) =>
      out.push({ protocol: "http", role: "mirror", path: ["spec", "http", i, "mirrors", j, "destination"], destination: m.destination }),
    );
  });
  return out;
}
