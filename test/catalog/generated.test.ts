import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedCatalogFiles } from "../../src/catalog/generated-files.js";
import { PACKAGE_ROOT } from "../../src/paths.js";

describe("files generated from the catalogs", () => {
  it.each(generatedCatalogFiles().map((f) => [f.path, f.content] as const))(
    "the committed %s is current (regenerate with `npm run docs:controls`)",
    (file, expected) => {
      const committed = readFileSync(path.join(PACKAGE_ROOT, file), "utf8");
      expect(committed === expected, `${file} is stale: run npm run docs:controls`).toBe(true);
    },
  );

  it("the catalog JSON Schema accepts the bundled catalogs' structure and rejects unknown keys", () => {
    const schema = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "schemas/catalog.schema.json"), "utf8"));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["framework", "requirements"]);
    expect(schema.properties.requirements.items.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.requirements.items.properties)).toEqual([
      "id",
      "parent",
      "title",
      "description",
      "checks",
      "manual",
      "applicability",
      "serviceProviderOnly",
      "population",
      "testingProcedures",
    ]);
  });
});
