import { describe, expect, it } from "vitest";
import { stateAdapters } from "../../src/collectors/registry.js";
import { buildHistories } from "../../src/state/build.js";
import { effectiveAt } from "../../src/state/history.js";
import type { LogGroupState, TrailState } from "../../src/state/types.js";
import { unknownFields } from "../../src/state/unknown.js";
import { ACCOUNT, loaded, REGION, record } from "../evaluate/helpers.js";

/** Backward reconstruction (src/state/reconstruct.ts): one rule per test. */
const DAY = 86_400_000;
const CLOCK = "2026-11-16T09:00:00.000Z";
const T0 = Date.parse(CLOCK);
const TRAIL = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/audit`;
const t = (iso: string) => Date.parse(iso);

function trailSnapshot(status: Record<string, unknown> = { IsLogging: true }) {
  return record("cloudtrail_trails", CLOCK, {
    trails: [
      {
        trail: {
          Name: "audit",
          TrailARN: TRAIL,
          HomeRegion: REGION,
          IsMultiRegionTrail: true,
          KmsKeyId: "k",
        },
        status,
      },
    ],
  });
}

function event(
  name: string,
  at: string,
  params: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    EventId: `${name}-${at}`,
    EventName: name,
    EventTime: at,
    Username: "someone",
    CloudTrailEvent: JSON.stringify({
      eventName: name,
      eventTime: at,
      userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:user/someone` },
      requestParameters: params,
      ...extra,
    }),
  };
}

/** One activity record per UTC day from `days` days before the clock up to it (minus the skipped days). */
function activity(events: unknown[], days = 5, skip: number[] = []) {
  const out = [];
  const first = Math.floor((T0 - days * DAY) / DAY) * DAY;
  for (let d = first, i = 0; d < T0; d += DAY, i++) {
    if (skip.includes(i)) continue;
    const end = Math.min(d + DAY, T0);
    const inDay = events.filter((e) => {
      const at = Date.parse((e as { EventTime: string }).EventTime);
      return at >= d && at < end;
    });
    out.push(
      record(
        "cloudtrail_activity",
        CLOCK,
        { eventNames: [], events: inDay },
        { period: { start: new Date(d).toISOString(), end: new Date(end).toISOString() } },
      ),
    );
  }
  return out;
}

function histories(records: ReturnType<typeof record>[]) {
  return buildHistories(records.map(loaded), {
    holdMs: () => 26 * 3_600_000,
    window: { start: T0 - 30 * DAY, end: T0 + DAY },
    adapters: stateAdapters,
  });
}

function trailAt(h: ReturnType<typeof histories>, at: string): TrailState | undefined {
  const o = effectiveAt(
    h.get("cloudtrail_trail", ACCOUNT, REGION)!.resources.get(TRAIL)!.observations,
    t(at),
  );
  return o?.state as TrailState | undefined;
}

const STOP = "2026-11-14T20:14:09.000Z";
const START = "2026-11-15T22:14:09.000Z";
const toggles = [event("StopLogging", STOP, { name: TRAIL }), event("StartLogging", START, { name: TRAIL })];

describe("backward reconstruction", () => {
  it("a toggle fixes the value on both sides: logging before StopLogging, not after, again after StartLogging", () => {
    const h = histories([trailSnapshot(), ...activity(toggles)]);
    expect(trailAt(h, "2026-11-12T00:00:00.000Z")?.isLogging).toBe(true);
    expect(trailAt(h, STOP)?.isLogging).toBe(false);
    expect(trailAt(h, "2026-11-15T22:14:08.000Z")?.isLogging).toBe(false);
    expect(trailAt(h, START)?.isLogging).toBe(true);
    // Fields no event changed held across the whole coverage; delivery health changes with no API
    // call (UNTRACKED), so before the snapshot it is unknown.
    expect(trailAt(h, "2026-11-12T00:00:00.000Z")?.kmsKeyId).toBe("k");
    expect([...unknownFields(trailAt(h, "2026-11-12T00:00:00.000Z")!)]).toEqual(["delivery"]);
  });

  it("a value-setting event fixes the value after it; before the first one it is unknown", () => {
    const group = (retentionInDays: number) =>
      record("logs_log_groups", CLOCK, {
        logGroups: [{ logGroupName: "/app", retentionInDays, kmsKeyId: "k" }],
      });
    const h = histories([
      group(30),
      ...activity([
        event("PutRetentionPolicy", "2026-11-14T10:00:00.000Z", {
          logGroupName: "/app",
          retentionInDays: 30,
        }),
      ]),
    ]);
    const at = (iso: string) =>
      effectiveAt(h.get("logs_log_group", ACCOUNT, REGION)!.resources.get("/app")!.observations, t(iso))
        ?.state as LogGroupState;
    expect(at("2026-11-14T10:00:00.000Z").retentionInDays).toBe(30);
    expect(unknownFields(at("2026-11-14T10:00:00.000Z")).has("retentionInDays")).toBe(false);
    const before = at("2026-11-14T09:59:59.000Z");
    expect(unknownFields(before).has("retentionInDays")).toBe(true);
    // The KMS key no event touched is still known before the change.
    expect(unknownFields(before).has("kmsKeyId")).toBe(false);
    expect(before.kmsKeyId).toBe("k");
  });

  it("a hole in the activity coverage stops the inference where the hole ends", () => {
    // Days 0..5 before the clock; day 2 missing: coverage reaches back only to the start of day 3.
    const h = histories([trailSnapshot(), ...activity([], 5, [2])]);
    const first = Math.floor((T0 - 5 * DAY) / DAY) * DAY;
    const holeEnd = new Date(first + 3 * DAY).toISOString();
    expect(trailAt(h, holeEnd)?.isLogging).toBe(true);
    expect(trailAt(h, new Date(first + 3 * DAY - 1000).toISOString())).toBeUndefined();
  });

  it("a failed call (errorCode) changes nothing", () => {
    const failed = event(
      "StopLogging",
      STOP,
      { name: TRAIL },
      { errorCode: "AccessDenied", errorMessage: "no" },
    );
    const h = histories([trailSnapshot(), ...activity([failed])]);
    expect(trailAt(h, STOP)?.isLogging).toBe(true);
    expect(trailAt(h, "2026-11-12T00:00:00.000Z")?.isLogging).toBe(true);
  });

  it("orders events by time, whatever order the record lists them in", () => {
    const h = histories([trailSnapshot(), ...activity([...toggles].reverse())]);
    const reversed = histories([
      trailSnapshot(),
      ...activity([]).map((r) => ({ ...r, payload: { events: [...toggles].reverse() } })),
    ]);
    for (const x of [h, reversed]) {
      expect(trailAt(x, STOP)?.isLogging).toBe(false);
      expect(trailAt(x, "2026-11-12T00:00:00.000Z")?.isLogging).toBe(true);
    }
  });

  it("two events in the same second that disagree leave the value before them unknown", () => {
    const same = "2026-11-14T20:14:09.000Z";
    const h = histories([
      trailSnapshot(),
      ...activity([
        event("StopLogging", same, { name: TRAIL }),
        event("StartLogging", same, { name: TRAIL }),
      ]),
    ]);
    const before = trailAt(h, "2026-11-14T20:14:08.000Z")!;
    expect(unknownFields(before).has("isLogging")).toBe(true);
    expect(trailAt(h, same)?.isLogging).toBe(true); // the snapshot after them says so
  });

  it("GetTrailStatus's StartLoggingTime is an observation: logging from then on even without activity", () => {
    const h = histories([trailSnapshot({ IsLogging: true, StartLoggingTime: START, StopLoggingTime: STOP })]);
    const after = trailAt(h, "2026-11-16T00:00:00.000Z")!;
    expect(after.isLogging).toBe(true);
    expect(unknownFields(after).has("kmsKeyId")).toBe(true); // no activity: other settings unknown
    expect(trailAt(h, "2026-11-15T22:14:08.000Z")).toBeUndefined();
  });

  it("a resource only seen in a DeleteAlarms existed, unknown, back to where coverage begins", () => {
    const h = histories([
      record("cloudwatch_alarms", CLOCK, { metricAlarms: [] }),
      ...activity([event("DeleteAlarms", STOP, { alarmNames: ["gone"] })]),
    ]);
    const obs = h
      .getKind<Record<string, unknown>>("cloudwatch_alarm", ACCOUNT, REGION)!
      .resources.get("gone")!;
    const before = effectiveAt(obs.observations, t("2026-11-13T00:00:00.000Z"))!;
    expect(before.kind).toBe("state");
    expect(unknownFields(before.state!).has("actionsEnabled")).toBe(true);
    expect(effectiveAt(obs.observations, t(STOP))!.kind).toBe("absent");
  });

  it("a field an event left unknown is known again from a later observation when nothing could change it in between", () => {
    const pools = (at: string) =>
      record("cognito_user_pools", at, {
        userPools: [
          {
            userPool: { Id: "eu-west-1_P", Name: "p", UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" } },
          },
        ],
      });
    const risk = (at: string) => event("SetRiskConfiguration", at, { userPoolId: "eu-west-1_P" });
    const mode = (h: ReturnType<typeof histories>, at: string) => {
      const o = effectiveAt(
        h.get("cognito_user_pool", ACCOUNT, REGION)!.resources.get("eu-west-1_P")!.observations,
        t(at),
      );
      return unknownFields(o!.state!).has("advancedSecurityMode")
        ? "unknown"
        : o!.state!.advancedSecurityMode;
    };
    const once = histories([
      pools("2026-11-13T09:00:00.000Z"),
      pools(CLOCK),
      ...activity([risk("2026-11-14T12:00:00.000Z")]),
    ]);
    expect(mode(once, "2026-11-15T12:00:00.000Z")).toBe("ENFORCED");
    const twice = histories([
      pools("2026-11-13T09:00:00.000Z"),
      pools(CLOCK),
      ...activity([risk("2026-11-14T12:00:00.000Z"), risk("2026-11-15T18:00:00.000Z")]),
    ]);
    expect(mode(twice, "2026-11-15T12:00:00.000Z")).toBe("unknown");
    expect(mode(twice, "2026-11-15T18:00:00.000Z")).toBe("ENFORCED");
  });

  it("fills a missed collection between two snapshots back from the later one, where activity covers the gap", () => {
    const earlier = { ...trailSnapshot(), collectedAt: "2026-11-12T09:00:00.000Z" };
    const gap = "2026-11-14T09:00:00.000Z"; // the earlier snapshot holds 26 h, until 2026-11-13T11:00Z
    const covered = histories([earlier, trailSnapshot(), ...activity([])]);
    expect(trailAt(covered, gap)?.isLogging).toBe(true);
    const o = effectiveAt(
      covered.get("cloudtrail_trail", ACCOUNT, REGION)!.resources.get(TRAIL)!.observations,
      t(gap),
    );
    expect(o?.basis?.kind).toBe("inferred-from-activity");
    const uncovered = histories([earlier, trailSnapshot()]);
    expect(trailAt(uncovered, gap)).toBeUndefined();
  });
});
