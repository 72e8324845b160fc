import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { parsePeriod } from "../../src/evaluate/period.js";
import { FindingsSchema, findingsJsonSchema } from "../../src/evaluate/schema.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { ACCOUNT, catalogOf, putAll, REGION, record, tempStore, userPool } from "./helpers.js";

describe("findings JSON Schema", () => {
  it("schemas/findings.schema.json is the export of src/evaluate/schema.ts (regenerate it when this fails)", () => {
    const file = JSON.parse(readFileSync(`${PACKAGE_ROOT}/schemas/findings.schema.json`, "utf8"));
    expect(file).toEqual(findingsJsonSchema());
  });

  it("produced findings validate against it, and a broken one does not", async () => {
    const store = tempStore();
    await putAll(store, [
      record("cognito_user_pools", "2026-08-10T12:00:00.000Z", { userPools: [userPool({}, "OFF")] }),
    ]);
    const f = await evaluate({
      store,
      catalog: catalogOf([{ req: "8.4.2", id: "cognito_user_pool_mfa_required" }, { req: "11.3.2" }]),
      period: parsePeriod("2026-08"),
      now: new Date("2026-11-01T00:00:00Z"),
      scope: { accounts: [ACCOUNT], regions: [REGION] },
    });
    expect(FindingsSchema.safeParse(JSON.parse(JSON.stringify(f))).success).toBe(true);
    const broken = structuredClone(f) as unknown as { requirements: Array<{ status: string }> };
    broken.requirements[0]!.status = "GREEN";
    expect(FindingsSchema.safeParse(broken).success).toBe(false);
  });
});
