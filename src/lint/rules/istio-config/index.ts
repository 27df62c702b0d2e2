import type { LintRule } from "../../rule.js";
import { authorizationPolicyNamespaceNotFound } from "./authorization-policy-namespace-not-found.js";
import { authorizationPolicySelectsNoWorkload } from "./authorization-policy-selects-no-workload.js";
import { destinationRuleHostUnknown } from "./destination-rule-host-unknown.js";
import { destinationRuleSubsetSelectsNoWorkload } from "./destination-rule-subset-selects-no-workload.js";
import { externalNamePortNameInvalid } from "./external-name-port-name-invalid.js";
import { serviceEntryAddressesRequired } from "./service-entry-addresses-required.js";
import { serviceEntryProtocolConflict } from "./service-entry-protocol-conflict.js";
import { servicePortProtocolUndeclared } from "./service-port-protocol-undeclared.js";
import { workloadPortProtocolConflict } from "./workload-port-protocol-conflict.js";
import { workloadTargetPortConflict } from "./workload-target-port-conflict.js";

/** Istio Service, workload, DestinationRule, ServiceEntry and AuthorizationPolicy analyzers (MP1070–MP1099). */
export const istioConfigRules: readonly LintRule[] = [
  servicePortProtocolUndeclared,
  externalNamePortNameInvalid,
  workloadPortProtocolConflict,
  workloadTargetPortConflict,
  destinationRuleSubsetSelectsNoWorkload,
  destinationRuleHostUnknown,
  serviceEntryAddressesRequired,
  serviceEntryProtocolConflict,
  authorizationPolicyNamespaceNotFound,
  authorizationPolicySelectsNoWorkload,
];
