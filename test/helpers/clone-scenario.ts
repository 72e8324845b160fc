import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A fixture scenario cloned to more accounts (issue 11's organisation at scale): `copies` copies of
 * every account, each the same recorded responses with the account id replaced everywhere it appears
 * (directory names, ARNs, owner ids). Clone k of account i gets a 12-digit id that names both.
 *
 *   cloneScenario({ from: "evidence-fixtures/demo", root: "/tmp/x", name: "demo-x4", copies: 2 })
 *
 * Returns the accounts of the clone, in scenario order.
 */
export function cloneScenario(options: {
  from: string;
  root: string;
  name: string;
  copies: number;
}): string[] {
  if (!Number.isInteger(options.copies) || options.copies < 1)
    throw new Error(`copies must be a whole number, 1 or more (got ${options.copies})`);
  const scenario = JSON.parse(readFileSync(path.join(options.from, "scenario.json"), "utf8")) as {
    accounts: string[];
    description?: string;
  };
  const originals = scenario.accounts;
  const idOf = (copy: number, index: number) =>
    copy === 0 ? originals[index]! : `9${String(copy).padStart(6, "0")}${String(index).padStart(5, "0")}`;
  const accounts: string[] = [];
  const dest = path.join(options.root, options.name);
  for (let copy = 0; copy < options.copies; copy++) {
    const rename = (text: string) =>
      originals.reduce((t, original, i) => t.replaceAll(original, idOf(copy, i)), text);
    originals.forEach((original, index) => {
      accounts.push(idOf(copy, index));
      for (const file of filesUnder(path.join(options.from, original))) {
        const relative = path.relative(options.from, file);
        const target = path.join(dest, rename(relative));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, rename(readFileSync(file, "utf8")));
      }
    });
  }
  writeFileSync(
    path.join(dest, "scenario.json"),
    `${JSON.stringify(
      {
        ...scenario,
        description: `${scenario.description ?? options.from}, cloned to ${accounts.length} accounts`,
        accounts,
      },
      null,
      2,
    )}\n`,
  );
  return accounts;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
