/**
 * Kubernetes quantities (apimachinery `resource.Quantity`), as SMI
 * split.smi-spec.io/v1alpha1 writes TrafficSplit weights: `1`, `500m`,
 * `1.5`, `2k`, `1Ki`, `5e-1`. Parsed exactly, as a decimal fraction
 * `numerator / 10^scale`, so weight ratios are computed without rounding.
 *
 *   <quantity>  ::= <signedNumber><suffix>
 *   <number>    ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>    ::= Ki | Mi | Gi | Ti | Pi | Ei       (powers of 1024)
 *                 | n | u | m | "" | k | M | G | T | P | E   (powers of 1000)
 *                 | e<signedNumber> | E<signedNumber>  (powers of 10)
 */

export interface Quantity {
  numerator: bigint;
  /** The value is numerator / 10^scale; scale >= 0. */
  scale: number;
}

const decimalSuffix: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffix: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/** Exponents beyond this are refused rather than expanded into enormous integers. */
const MAX_EXPONENT = 1000;

/** The exact value of a quantity, or null when the text is not a quantity. A YAML number is read as its decimal text. */
export function parseQuantity(input: string | number): Quantity | null {
  const text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input.trim();
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)$/.exec(text);
  if (!m) return null;
  const [, sign, number, suffix] = m as unknown as [string, string, string, string];
  const [intPart, fracPart = ""] = number.split(".") as [string, string?];
  let numerator = BigInt((intPart || "0") + fracPart);
  let scale = fracPart.length;

  let exponent = 0;
  if (suffix in binarySuffix) numerator *= 1024n ** BigInt(binarySuffix[suffix]!);
  else if (suffix in decimalSuffix) exponent = decimalSuffix[suffix]!;
  else exponent = Number.parseInt(suffix.slice(1), 10);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;

  if (exponent < 0) scale -= exponent;
  else if (exponent <= scale) scale -= exponent;
  else {
    numerator *= 10n ** BigInt(exponent - scale);
    scale = 0;
  }
  return { numerator: sign === "-" ? -numerator : numerator, scale };
}

/** The quantities as integers over one common denominator, so their ratios are exact. */
export function toCommonScale(quantities: readonly Quantity[]): bigint[] {
  const scale = Math.max(0, ...quantities.map((q) => q.scale));
  return quantities.map((q) => q.numerator * 10n ** BigInt(scale - q.scale));
}

/** For display: `500m` -> 0.5. */
export function quantityToNumber(q: Quantity): number {
  return Number(q.numerator) / 10 ** q.scale;
}
