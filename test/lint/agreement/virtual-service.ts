/**
 * Which meshplan codes implement which istioctl analyzer, for the agreement
 * test (test/lint/istio-agreement.test.ts): analyzer name as in
 * expectations.json -> the meshplan codes whose findings stand for its output.
 */
export const analyzerCodes: Record<string, readonly string[]> = {};
