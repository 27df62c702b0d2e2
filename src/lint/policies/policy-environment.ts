/**
 * The CEL environment every policy expression is compiled in: CEL's standard
 * library, the strings extension (Kubernetes includes it too: `join`,
 * `substring`, `split`, `lowerAscii`, ...), meshplan's one helper, and the
 * variables of docs/policies.md, all of type `dyn` because the objects are
 * schemaless JSON, as for CRDs in Kubernetes.
 */
import { celEnv, celFunc, CelScalar, listType, type CelEnv, type CelInput } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { fromCelValue } from "./from-cel-value.js";
import { trafficShifts } from "./traffic-shifts.js";

/** The variables a policy expression may read (docs/policies.md, "Variables"). */
export const POLICY_VARIABLES = ["object", "oldObject", "namespaceObject", "routes", "params"] as const;

export type PolicyVariable = (typeof POLICY_VARIABLES)[number];

const { DYN } = CelScalar;

/**
 * `trafficShifts(oldObject, object)`: list of `{rule, backend, from, to}`,
 * one per backend whose share of a rule moves (src/lint/policies/traffic-shifts.ts).
 */
const trafficShiftsFunc = celFunc("trafficShifts", [DYN, DYN], listType(DYN), (oldObject, object) =>
  trafficShifts(fromCelValue(oldObject), fromCelValue(object)).map(
    // Shares stay doubles (100 is 100.0), so `s.to - s.from` never mixes int and double.
    (s) => new Map<string, CelInput>([["rule", s.rule], ["backend", s.backend], ["from", s.from], ["to", s.to]]),
  ),
);

let env: CelEnv | null = null;

export function policyEnvironment(): CelEnv {
  env ??= celEnv({
    funcs: [...strings, trafficShiftsFunc],
    variables: Object.fromEntries(POLICY_VARIABLES.map((v) => [v, DYN])),
  });
  return env;
}
