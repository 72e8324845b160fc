import { renderControlsDoc } from "./docs.js";
import { loadCatalogs } from "./load.js";
import { generatedRegistryFiles } from "./registry-files.js";
import { catalogJsonSchema, crosswalkJsonSchema } from "./schema.js";

/**
 * Files generated from the catalogs, their schemas and the check and collector folders, committed
 * to the repository and kept current by `npm run docs:controls` (tests compare the committed copies).
 */
export function generatedCatalogFiles(): Array<{ path: string; content: string }> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    { path: "docs/CONTROLS.md", content: renderControlsDoc(loadCatalogs()) },
    { path: "schemas/catalog.schema.json", content: json(catalogJsonSchema()) },
    { path: "schemas/crosswalk.schema.json", content: json(crosswalkJsonSchema()) },
    ...generatedRegistryFiles(),
  ];
}
