import type { LintRule } from "../../rule.js";
import { conflictingGateways } from "./conflicting-gateways.js";
import { conflictingSidecarSelectors } from "./conflicting-sidecar-selectors.js";
import { deprecatedIstioField } from "./deprecated-istio-field.js";
import { gatewayPortNotOnService } from "./gateway-port-not-on-service.js";
import { gatewaySelectorMatchesNoWorkload } from "./gateway-selector-matches-no-workload.js";
import { multipleNamespaceWideSidecars } from "./multiple-namespace-wide-sidecars.js";
import { mutualTlsToMtlsDisabled } from "./mutual-tls-to-mtls-disabled.js";
import { namespaceNotInMesh } from "./namespace-not-in-mesh.js";
import { plaintextToStrictMtls } from "./plaintext-to-strict-mtls.js";
import { selectorOnKubernetesGateway } from "./selector-on-kubernetes-gateway.js";
import { sidecarInAmbientMode } from "./sidecar-in-ambient-mode.js";
import { sidecarSelectorMatchesNoWorkload } from "./sidecar-selector-matches-no-workload.js";

/** Istio Gateway, Sidecar, deprecation and mesh-membership analyzers (MP1040–MP1069). */
export const istioGatewayRules: readonly LintRule[] = [
  gatewaySelectorMatchesNoWorkload,
  gatewayPortNotOnService,
  conflictingGateways,
  selectorOnKubernetesGateway,
  sidecarSelectorMatchesNoWorkload,
  conflictingSidecarSelectors,
  multipleNamespaceWideSidecars,
  sidecarInAmbientMode,
  deprecatedIstioField,
  namespaceNotInMesh,
  plaintextToStrictMtls,
  mutualTlsToMtlsDisabled,
];
