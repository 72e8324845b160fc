import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { allScenarios } from "./scenarios.js";
import { writeScenario } from "./write.js";

/** Regenerates every scenario under evidence-fixtures/: `npx tsx evidence-fixtures/_generator/main.ts`. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
for (const scenario of allScenarios()) {
  const { files, bytes } = writeScenario(root, scenario);
  console.log(`${scenario.name}: ${files} files, ${(bytes / 1024).toFixed(0)} KiB`);
}
