import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { meshConfigOf } from "../../../../src/lint/rules/istio-config/mesh-config.js";
import { modelFromYaml } from "../../../support/model.js";
import { meshConfigMap } from "./lint.js";

describe("the MeshConfig a tree declares (ConfigMap istio-system/istio, key mesh)", () => {
  it("keeps Istio's defaults when the tree has no mesh ConfigMap", () => {
    const { model } = modelFromYaml({});
    assert.deepEqual(meshConfigOf(model), { rootNamespace: "istio-system", proxyMetadata: {}, source: null });
  });

  it("reads rootNamespace and defaultConfig.proxyMetadata, unquoted booleans as strings", () => {
    const { model } = modelFromYaml({
      "mesh.yaml": meshConfigMap("rootNamespace: mesh-root\ndefaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: true\n    OTHER: x"),
    });
    const view = meshConfigOf(model);
    assert.equal(view.rootNamespace, "mesh-root");
    assert.deepEqual(view.proxyMetadata, { ISTIO_META_DNS_CAPTURE: "true", OTHER: "x" });
  });

  it("ignores a ConfigMap named istio in another namespace", () => {
    const { model } = modelFromYaml({
      "mesh.yaml": meshConfigMap("rootNamespace: mesh-root").replace("namespace: istio-system", "namespace: shop"),
    });
    assert.equal(meshConfigOf(model).rootNamespace, "istio-system");
  });

  it("keeps the defaults when the mesh value is not valid YAML", () => {
    const { model } = modelFromYaml({ "mesh.yaml": meshConfigMap("rootNamespace: [mesh-root") });
    assert.equal(meshConfigOf(model).rootNamespace, "istio-system");
  });
});
