/** The Kubernetes API double: what tests import. */
export { startKubeDouble } from "./start-kube-double.js";
export type { FieldOwner, KubeDouble, KubeDoubleOptions, ObjectRef } from "./start-kube-double.js";
export type { InjectedFailure, RecordedRequest } from "./kube-api-app.js";
export type { CrdDefinition } from "./resource-types.js";
export { FieldSet } from "./field-set.js";
export { meshCrds } from "./mesh-crds.js";
