import { describe, expect, it } from "vitest";
import { check as complexity } from "../../src/checks/cognito/cognito_user_pool_password_complexity.js";
import { check as history } from "../../src/checks/cognito/cognito_user_pool_password_history.js";
import { check as minLength } from "../../src/checks/cognito/cognito_user_pool_password_min_length.js";
import { check as tempValidity } from "../../src/checks/cognito/cognito_user_pool_temp_password_validity.js";
import { check as threat } from "../../src/checks/cognito/cognito_user_pool_threat_protection_enforced.js";
import type { AnyCheck } from "../../src/checks/types.js";
import { stateAdapters } from "../../src/collectors/registry.js";
import { evaluateCheck } from "../../src/evaluate/evaluate.js";
import { buildHistories } from "../../src/state/build.js";
import { describeUserPoolPasswordPolicy } from "../../src/state/defaults.js";
import { ACCOUNT, loaded, REGION, record, userPool } from "../evaluate/helpers.js";

const WINDOW = { start: Date.parse("2026-08-01T00:00:00Z"), end: Date.parse("2026-08-02T00:00:00Z") };

/** A DescribeUserPool answer (Cognito API reference, UserPoolType) for a pool created without Policies. */
function withoutPolicies(): unknown {
  const entry = userPool() as { userPool: Record<string, unknown> };
  const { Policies: _, UserPoolAddOns: __, ...pool } = entry.userPool;
  return { ...entry, userPool: pool };
}

function judge(check: AnyCheck, entry: unknown, params: Record<string, unknown> = {}) {
  const records = ["2026-07-31T06:00:00.000Z", "2026-08-01T06:00:00.000Z"].map((at) =>
    record("cognito_user_pools", at, { userPools: [entry] }),
  );
  const histories = buildHistories(records.map(loaded), {
    holdMs: () => 26 * 3_600_000,
    window: WINDOW,
    adapters: stateAdapters,
  });
  const result = evaluateCheck(
    { check, params: check.paramsSchema.parse(params) },
    histories,
    { accounts: [ACCOUNT], regions: [REGION] },
    WINDOW,
    false,
  );
  return result.findings[0]!;
}

describe("DescribeUserPool without Policies: Cognito's default password policy applies, never ERROR", () => {
  it("judges the default 8-character length against the requirement", () => {
    const f = judge(minLength, withoutPolicies(), { minLength: 12 });
    expect(f.status).toBe("FAIL");
    expect(f.reason).toContain("8");
  });

  it("passes complexity (the default requires all four character classes)", () => {
    expect(judge(complexity, withoutPolicies()).status).toBe("PASS");
  });

  it("takes the documented 7-day temporary password validity", () => {
    expect(judge(tempValidity, withoutPolicies()).status).toBe("PASS");
  });

  it("keeps no password history by default", () => {
    expect(judge(history, withoutPolicies()).status).toBe("FAIL");
  });

  it("reads an absent UserPoolAddOns as threat protection OFF", () => {
    const f = judge(threat, withoutPolicies());
    expect(f.status).toBe("FAIL");
    expect(f.reason).toContain("OFF");
  });

  it("says nothing about a pool DescribeUserPool did not answer for (only its id): unknowable stays unknown", () => {
    const f = judge(minLength, { userPool: { Id: "eu-west-1_AbC" }, clients: [] });
    expect(f.status).toBe("ERROR");
  });

  it("fills only the fields with a documented default inside a present policy", () => {
    expect(describeUserPoolPasswordPolicy({ minimumLength: 14 })).toEqual({
      minimumLength: 14,
      passwordHistorySize: 0,
      temporaryPasswordValidityDays: 7,
    });
  });
});
