/** Every check, by id. Each lives in its own file: src/checks/<service>/<id>.ts. */
import { UsageError } from "../errors.js";
import { didYouMean } from "../suggest.js";
import { declaredChecks } from "./index.generated.js";
import type { AnyCheck } from "./types.js";

/** Listed by index.generated.ts from the folder (`npm run docs:controls`), in id order. */
export const checks: readonly AnyCheck[] = [...declaredChecks].sort((a, b) => a.id.localeCompare(b.id));

/** Every check id: the catalogs may name these and no other. */
export const checkIds: ReadonlySet<string> = new Set(checks.map((c) => c.id));

const byId = new Map(checks.map((c) => [c.id, c]));

export function hasCheck(id: string): boolean {
  return byId.has(id);
}

/** The check with this id; a UsageError suggesting the closest id otherwise. */
export function getCheck(id: string): AnyCheck {
  const found = byId.get(id);
  if (found) return found;
  const suggestion = didYouMean(id, [...byId.keys()]);
  throw new UsageError(`unknown check "${id}"${suggestion ? `; ${suggestion}` : ""}`, {
    hint: "run `auditpack controls list` to see the checks each requirement uses",
  });
}
