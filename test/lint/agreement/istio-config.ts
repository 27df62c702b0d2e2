/**
 * Which meshplan codes implement which istioctl analyzer, for the agreement
 * test (test/lint/istio-agreement.test.ts): analyzer name as in
 * expectations.json -> the meshplan codes whose findings stand for its output.
 */
export const analyzerCodes: Record<string, readonly string[]> = {
  "service.PortNameAnalyzer": ["MP1070", "MP1071"],
  "deployment.ServiceAssociationAnalyzer": ["MP1072", "MP1073"],
  "destinationrule.PodNotSelectedAnalyzer": ["MP1074", "MP1075"],
  "serviceentry.ProtocolAddressesAnalyzer": ["MP1076"],
  "serviceentry.ConflictingServiceEntryProtocolAnalyzer": ["MP1077"],
  "authz.AuthorizationPoliciesAnalyzer": ["MP1078", "MP1079"],
};
