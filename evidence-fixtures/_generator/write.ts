import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Scenario } from "./types.js";

/** Writes a scenario folder from scratch: scenario.json, documents and one JSON file per service. */
export function writeScenario(root: string, scenario: Scenario): { files: number; bytes: number } {
  const dir = join(root, scenario.name);
  rmSync(dir, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  const write = (path: string, text: string) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  write("scenario.json", `${JSON.stringify(scenario.meta, null, 2)}\n`);
  for (const [path, text] of scenario.documents ?? []) write(path, text);
  for (const path of [...scenario.files.keys()].sort()) {
    write(path, `${JSON.stringify(scenario.files.get(path), null, 1)}\n`);
  }
  return { files, bytes };
}
