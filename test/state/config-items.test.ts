import { describe, expect, it } from "vitest";
import { stateAdapters } from "../../src/collectors/registry.js";
import { buildHistories } from "../../src/state/build.js";
import type { UserPoolState } from "../../src/state/types.js";
import {
  ACCOUNT,
  loaded,
  REGION,
  USER_POOL_ID,
  userPoolConfigItem,
  userPoolTimelineRecord,
} from "../evaluate/helpers.js";

const START = "2026-07-01T00:00:00.000Z";
const END = "2026-10-01T00:00:00.000Z";
const poolItem = (at: string, mfa: string, status = "OK") => userPoolConfigItem(at, mfa, { status });

function timeline(payload: Record<string, unknown>) {
  const histories = buildHistories([loaded(userPoolTimelineRecord(payload))], {
    holdMs: () => 0,
    window: { start: Date.parse(START), end: Date.parse(END) },
    adapters: stateAdapters,
  });
  return histories.get("cognito_user_pool", ACCOUNT, REGION)?.resources.get(USER_POOL_ID)?.observations ?? [];
}

const iso = (t: number) => new Date(t).toISOString();

describe("AWS Config timeline adapter", () => {
  it("applies the baseline item from the window start, keeping its capture time as observedAt", () => {
    const observations = timeline({
      baseline: poolItem("2026-06-14T08:21:05.000Z", "ON"),
      items: [poolItem("2026-07-22T14:09:51.000Z", "OFF")],
    });
    expect(
      observations.map((o) => [iso(o.at), iso(o.until), o.kind, (o.state as UserPoolState).mfa]),
    ).toEqual([
      [START, END, "state", "ON"],
      ["2026-07-22T14:09:51.000Z", END, "state", "OFF"],
    ]);
    expect(observations[0]!.state!.observedAt).toBe("2026-06-14T08:21:05.000Z");
  });

  it("invents no coverage before the first item when there is no baseline", () => {
    const observations = timeline({ items: [poolItem("2026-07-01T00:40:00.000Z", "ON")] });
    expect(observations.map((o) => [iso(o.at), o.kind])).toEqual([["2026-07-01T00:40:00.000Z", "state"]]);
  });

  it("still makes a resource discovered inside the window absent before it, but not after a baseline", () => {
    const discovered = poolItem("2026-08-02T10:00:00.000Z", "ON", "ResourceDiscovered");
    expect(timeline({ items: [discovered] }).map((o) => [iso(o.at), o.kind])).toEqual([
      [START, "absent"],
      ["2026-08-02T10:00:00.000Z", "state"],
    ]);
    const withBaseline = timeline({
      baseline: poolItem("2026-06-14T08:21:05.000Z", "OFF"),
      items: [discovered],
    });
    expect(withBaseline.map((o) => o.kind)).toEqual(["state", "state"]);
  });
});
