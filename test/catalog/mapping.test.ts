import { describe, expect, it } from "vitest";
import { formatCheckRef } from "../../src/catalog/docs.js";
import { isHeading, loadCatalogs } from "../../src/catalog/load.js";
import type { Catalog } from "../../src/catalog/types.js";
import { checkIds } from "../../src/checks/registry.js";

/**
 * Each framework's requirement-to-check mapping, committed under __snapshots__/, so a refactor or an
 * edit of a catalog cannot drop or change a control without the diff showing it in review.
 * One line per requirement: its checks with parameters, and MANUAL when a person assesses it (or part of it).
 * After an intended change: npx vitest run test/catalog/mapping.test.ts -u
 */
function mapping(catalog: Catalog): string {
  const lines = catalog.requirements
    .filter((req) => !isHeading(req))
    .map((req) => {
      const entries = [
        ...(req.checks ?? []).map((c) => formatCheckRef(c).replace(/`/g, "")),
        ...(req.manual ? ["MANUAL"] : []),
        ...(req.population ? [`population ${req.population}`] : []),
        ...(req.serviceProviderOnly ? ["service providers only"] : []),
      ];
      return `${req.id}: ${entries.join("; ")}`;
    });
  return `${lines.join("\n")}\n`;
}

describe("requirement-to-check mappings", () => {
  const catalogs = loadCatalogs({ knownCheckIds: checkIds });

  it.each(catalogs.map((c) => [c.framework.id, c] as const))(
    "%s matches the committed mapping",
    async (id, catalog) => {
      await expect(mapping(catalog)).toMatchFileSnapshot(`./__snapshots__/${id}.mapping.txt`);
    },
  );
});
