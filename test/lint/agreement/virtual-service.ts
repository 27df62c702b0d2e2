/**
 * Which meshplan codes implement which istioctl analyzer, for the agreement
 * test (test/lint/istio-agreement.test.ts): analyzer name as in
 * expectations.json -> the meshplan codes whose findings stand for its output.
 */
export const analyzerCodes: Record<string, readonly string[]> = {
  // Host not found (IST0101), port selector required (IST0112), host:port not found (IST0101),
  // ingress route bypassing subset routing (IST0140).
  "virtualservice.DestinationHostAnalyzer": ["MP1001", "MP1002", "MP1003", "MP1004"],
  // The Istio routing engine reports a subset missing from the DestinationRule as MP0201 (IST0101).
  "virtualservice.DestinationRuleAnalyzer": ["MP0201"],
  // Gateway not found (IST0101), host not in gateway (IST0132), generated gateway name (IST0165).
  "virtualservice.GatewayAnalyzer": ["MP1005", "MP1006", "MP1007"],
  "virtualservice.ConflictingMeshGatewayHostsAnalyzer": ["MP1008"],
  // Istio's VirtualService validation warnings: unreachable rule (IST0130), ineffective match (IST0131).
  "schema.ValidationAnalyzer.VirtualService": ["MP1009", "MP1010"],
};
