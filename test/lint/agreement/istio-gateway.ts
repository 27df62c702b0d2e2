/**
 * Which meshplan codes implement which istioctl analyzer, for the agreement
 * test (test/lint/istio-agreement.test.ts): analyzer name as in
 * expectations.json -> the meshplan codes whose findings stand for its output.
 */
export const analyzerCodes: Record<string, readonly string[]> = {
  // IST0101 (selector matches no pod) and IST0162 (port not on the gateway Service).
  "gateway.IngressGatewayPortAnalyzer": ["MP1040", "MP1041"],
  // IST0145 only; its IST0101 for a Gateway without servers is left to MP1040's selector check.
  "gateway.ConflictingGatewayAnalyzer": ["MP1042"],
  "k8sgateway.SelectorAnalyzer": ["MP1043"],
  // IST0101, IST0110, IST0111, IST0167.
  "sidecar.SelectorAnalyzer": ["MP1044", "MP1045", "MP1046", "MP1047"],
  "deprecation.FieldAnalyzer": ["MP1048"],
};
