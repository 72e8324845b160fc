import { findRequirement, loadCatalogs } from "../catalog/load.js";
import type { Catalog } from "../catalog/types.js";
import { getCheck } from "../checks/registry.js";
import { AuditpackError, UsageError } from "../errors.js";
import type { Waiver } from "./types.js";

/**
 * Every waiver names a requirement of a known catalog or a registered check. A waiver whose target
 * is misspelt would silently waive nothing, which an auditor reads as "no exceptions": refuse it.
 * `extra`: a catalog loaded from a file (not in the controls directory) that waivers may also name.
 */
export function checkWaiverTargets(waivers: readonly Waiver[], source: string, extra?: Catalog): void {
  if (waivers.length === 0) return;
  let catalogs: Catalog[] | undefined;
  for (const [i, w] of waivers.entries()) {
    try {
      const split = w.target.indexOf(":");
      if (split < 0) {
        getCheck(w.target);
        continue;
      }
      catalogs ??= [...loadCatalogs(), ...(extra ? [extra] : [])];
      const framework = w.target.slice(0, split);
      const catalog = catalogs.find((c) => c.framework.id === framework);
      if (!catalog) {
        throw new UsageError(`unknown framework "${framework}"`, {
          hint: `known frameworks: ${[...new Set(catalogs.map((c) => c.framework.id))].join(", ")}`,
        });
      }
      findRequirement(catalog, w.target.slice(split + 1));
    } catch (error) {
      if (!(error instanceof AuditpackError)) throw error;
      throw new UsageError(
        `invalid waivers file ${source}:\n  - [${i}].target: waiver "${w.id}" names ${w.target}: ${error.message}`,
        { cause: error, ...(error.hint ? { hint: error.hint } : {}) },
      );
    }
  }
}
