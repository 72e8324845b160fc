import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../paths.js";
import { generatedRegistryFiles } from "./registry-files.js";

/**
 * `npm run docs:controls`: writes every generated file. The registries' import lists come first,
 * from the folders alone; the catalog files are rendered after, by modules loaded only then, so a
 * check added a moment ago is already in the registry they validate against.
 */
function write(files: Array<{ path: string; content: string }>): void {
  for (const file of files) {
    const target = path.join(PACKAGE_ROOT, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}

write(generatedRegistryFiles());
const { generatedCatalogFiles } = await import("./generated-files.js");
write(generatedCatalogFiles().filter((f) => !f.path.endsWith(".generated.ts")));
