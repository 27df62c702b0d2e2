/**
 * Which rules of one VirtualService can never be selected, and which match
 * blocks never decide anything, following Istio's validation of
 * VirtualServices (pkg/config/validation `analyzeUnreachableHTTPRules` and its
 * TCP and TLS twins, reported by istioctl as IST0130 and IST0131):
 *
 * - a rule after a rule without match blocks (which takes every request) is
 *   unreachable;
 * - a match block equal to an earlier one (match names aside) is ineffective,
 *   and a rule whose blocks all are is unreachable;
 * - http only: a `uri` prefix block that an earlier block covers (its prefix
 *   extends the earlier prefix and the earlier block's other conditions hold
 *   for it) is ineffective. Where istioctl compares the remaining fields
 *   loosely (it assumes GET when no method is given, and ignores source
 *   labels, gateways and regexes), meshplan checks real coverage
 *   (match-covers.ts), and also reports an exact `uri` block covered by an
 *   earlier rule.
 *
 * Blocks are compared as the routing table's RequestMatch values, so header
 * name case, map order and `name` do not make two blocks differ. Duplicates
 * are found through a map and coverage through an index of earlier prefixes,
 * so the cost is linear in the size of the VirtualService, not quadratic.
 */
import type { VirtualService } from "../../../manifests/schemas/istio.js";
import type { FieldPath } from "../../../manifests/types.js";
import { httpMatch } from "../../../routing/istio/http-match.js";
import { l4Match, tlsMatches } from "../../../routing/istio/l4-match.js";
import { canonicalJson } from "../../../routing/canonical-json.js";
import type { RequestMatch } from "../../../routing/types.js";
import { matchCovers } from "./match-covers.js";

export interface UnreachableRule {
  path: FieldPath;
  message: string;
}

export interface IneffectiveMatch {
  path: FieldPath;
  message: string;
}

export interface RouteShadowing {
  unreachable: UnreachableRule[];
  ineffective: IneffectiveMatch[];
}

type Protocol = "http" | "tcp" | "tls";

interface Block {
  rule: number;
  index: number;
  match: RequestMatch;
}

export function routeShadowing(vs: VirtualService, namespace: string): RouteShadowing {
  const out: RouteShadowing = { unreachable: [], ineffective: [] };
  const spec = vs.spec ?? {};
  const http = (spec.http ?? []).map((r) => ({ name: r.name, blocks: (r.match ?? []).map((m) => httpMatch(m, namespace)) }));
  analyze("http", http, out, true);
  const tcp = (spec.tcp ?? []).map((r) => ({
    name: undefined,
    blocks: (r.match ?? []).map((m) => ({ ...l4Match(m, namespace), subnets: subnets(m) })),
  }));
  analyze("tcp", tcp, out, false);
  const tls = (spec.tls ?? []).map((r) => ({
    name: undefined,
    blocks: (r.match ?? []).map((m) => ({ sni: tlsMatches(m, namespace).map(canonicalJson).sort(), subnets: subnets(m) })),
  }));
  analyze("tls", tls, out, false);
  return out;
}

function subnets(m: { destinationSubnets?: string[] | undefined; sourceSubnet?: string | undefined }): unknown {
  return { destination: [...(m.destinationSubnets ?? [])].sort(), source: m.sourceSubnet };
}

function ruleLabel(protocol: Protocol, index: number, name: string | undefined): string {
  return name ? `${protocol}[${index}] "${name}"` : `${protocol}[${index}]`;
}

function analyze(
  protocol: Protocol,
  rules: readonly { name: string | undefined; blocks: readonly unknown[] }[],
  out: RouteShadowing,
  coverage: boolean,
): void {
  let catchAll = -1;
  const seen = new Map<string, number>();
  /** Earlier http blocks with a `uri` prefix, by prefix, and with an exact `uri`, by value. */
  const byPrefix = new Map<string, Block[]>();
  const byExact = new Map<string, Block[]>();

  rules.forEach((rule, r) => {
    const label = ruleLabel(protocol, r, rule.name);
    if (rule.blocks.length === 0) {
      if (catchAll >= 0) {
        out.unreachable.push({
          path: ["spec", protocol, r],
          message: `rule ${label} is never used: rule ${ruleLabel(protocol, catchAll, rules[catchAll]!.name)} has no match conditions and takes every request first`,
        });
      } else catchAll = r;
      return;
    }
    if (catchAll >= 0) {
      out.unreachable.push({
        path: ["spec", protocol, r],
        message: `rule ${label} is never used: rule ${ruleLabel(protocol, catchAll, rules[catchAll]!.name)} before it has no match conditions and takes every request`,
      });
      return;
    }
    let duplicates = 0;
    let shadowed = 0;
    const found: IneffectiveMatch[] = [];
    rule.blocks.forEach((block, k) => {
      const key = canonicalJson(block);
      const first = seen.get(key);
      if (first !== undefined) {
        duplicates++;
        if (first < r) shadowed++;
        found.push({
          path: ["spec", protocol, r, "match", k],
          message: `match ${k} of rule ${label} repeats a match of rule ${ruleLabel(protocol, first, rules[first]!.name)}, which takes those requests first`,
        });
        return;
      }
      seen.set(key, r);
      if (!coverage) return;
      const m = block as RequestMatch;
      const coveredBy = coveringBlock(m, r, byPrefix, byExact);
      if (coveredBy) {
        const other = coveredBy.rule === r ? `match ${coveredBy.index} of the same rule` : `match ${coveredBy.index} of rule ${ruleLabel(protocol, coveredBy.rule, rules[coveredBy.rule]!.name)}`;
        if (coveredBy.rule < r) shadowed++;
        found.push({
          path: ["spec", protocol, r, "match", k],
          message: `match ${k} of rule ${label} is covered by ${other}, which matches every request it matches` + (coveredBy.rule === r ? "" : " and comes first"),
        });
      }
      const entry: Block = { rule: r, index: k, match: m };
      if (m.uri?.type === "prefix") push(byPrefix, m.uri.value, entry);
      else if (m.uri?.type === "exact") push(byExact, m.uri.value, entry);
    });
    // istioctl calls a rule unreachable only when every block is a repeat; a rule whose blocks are
    // all covered by earlier rules is just as dead, which the match findings say.
    const dead = shadowed === rule.blocks.length && duplicates < rule.blocks.length;
    for (const f of found) out.ineffective.push(dead ? { ...f, message: `${f.message}; no request reaches rule ${label}` } : f);
    if (duplicates === rule.blocks.length) {
      out.unreachable.push({
        path: ["spec", protocol, r],
        message: `rule ${label} is never used: each of its match blocks repeats one of an earlier rule`,
      });
    }
  });
}

/**
 * An earlier block that covers `m`: for a `uri` prefix block, any earlier
 * prefix block whose prefix starts it (istioctl's overlap check); for an exact
 * `uri` block, an earlier rule's prefix or exact block (within one rule a
 * broader block routes the same way, so it is left alone, as istioctl does).
 */
function coveringBlock(m: RequestMatch, rule: number, byPrefix: Map<string, Block[]>, byExact: Map<string, Block[]>): Block | null {
  if (m.uri?.type !== "prefix" && m.uri?.type !== "exact") return null;
  if (m.ignoreUriCase) return null;
  const value = m.uri.value;
  const earlierRuleOnly = m.uri.type === "exact";
  const candidates = (list: Block[] | undefined) =>
    (list ?? []).find((b) => (!earlierRuleOnly || b.rule < rule) && !b.match.ignoreUriCase && matchCovers(b.match, m)) ?? null;
  for (let len = 0; len <= value.length; len++) {
    const hit = candidates(byPrefix.get(value.slice(0, len)));
    if (hit) return hit;
  }
  return earlierRuleOnly ? candidates(byExact.get(value)) : null;
}

function push(index: Map<string, Block[]>, key: string, block: Block): void {
  const list = index.get(key);
  if (list) list.push(block);
  else index.set(key, [block]);
}
