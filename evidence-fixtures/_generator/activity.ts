import type { Actor } from "./actors.js";
import { demoActors } from "./actors.js";
import { CUSTOMER_POOL_ID, EU, PROD, STAGING, US, WORKFORCE_POOL_ID } from "./demo-estate.js";
import type { Change } from "./drift.js";
import { renderEvent, type TrailEvent } from "./events.js";
import type { Random } from "./prng.js";
import { DAY_MS, epoch, isoSeconds, ms } from "./time.js";
import type { Answer } from "./types.js";

/** CloudTrail activity: the drift events, ordinary noise, and LookupEvents answers as the collector asks. */

/** LookupEvents reaches back 90 days from the clock; the collector starts there. */
export const LOOKBACK_DAYS = 90;

const FIRST_NAMES = [
  "anna",
  "ben",
  "carla",
  "dev",
  "elif",
  "farid",
  "greta",
  "hugo",
  "ines",
  "jamal",
  "kai",
  "lucia",
  "mateo",
  "nora",
];
const LAST_NAMES = [
  "fischer",
  "okafor",
  "novak",
  "silva",
  "lindqvist",
  "haddad",
  "moreau",
  "tanaka",
  "byrne",
  "kowal",
];

function atTime(day: number, rng: Random, fromHour: number, toHour: number): string {
  return isoSeconds(day + rng.int(fromHour * 3600, toHour * 3600 - 1) * 1000);
}

function poolArn(account: string, region: string, id: string): string {
  return `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`;
}

function consoleLogin(
  key: string,
  actor: Actor,
  region: string,
  time: string,
  ok: boolean,
  mfaUsed: boolean,
): TrailEvent {
  const event: TrailEvent = {
    key,
    time,
    account: actor.account,
    region,
    source: "signin.amazonaws.com",
    name: "ConsoleLogin",
    actor,
    requestParameters: null,
    responseElements: { ConsoleLogin: ok ? "Success" : "Failure" },
    additionalEventData: {
      LoginTo: `https://${region}.console.aws.amazon.com/console/home?region=${region}&state=hashArgs%23&isauthcode=true`,
      MobileVersion: "No",
      MFAUsed: mfaUsed ? "Yes" : "No",
    },
  };
  if (!ok) event.errorMessage = "Failed authentication";
  return event;
}

function iamEvent(
  key: string,
  actor: Actor,
  time: string,
  name: string,
  requestParameters: Record<string, unknown>,
  responseElements: Record<string, unknown> | null = null,
): TrailEvent {
  // IAM is global; its events are recorded in us-east-1.
  return {
    key,
    time,
    account: actor.account,
    region: US,
    source: "iam.amazonaws.com",
    name,
    actor,
    requestParameters,
    responseElements,
  };
}

function adminCreateUser(
  key: string,
  actor: Actor,
  region: string,
  pool: string,
  time: string,
  user: string,
  extra: Record<string, unknown> = {},
): TrailEvent {
  return {
    key,
    time,
    account: actor.account,
    region,
    source: "cognito-idp.amazonaws.com",
    name: "AdminCreateUser",
    actor,
    requestParameters: {
      userPoolId: pool,
      username: user,
      userAttributes: [
        { name: "email", value: user },
        { name: "email_verified", value: "true" },
      ],
      desiredDeliveryMediums: ["EMAIL"],
      ...extra,
    },
    responseElements: {
      user: {
        username: user,
        userCreateDate: epoch(time),
        userLastModifiedDate: epoch(time),
        enabled: true,
        userStatus: "FORCE_CHANGE_PASSWORD",
      },
    },
    resources: [
      { ResourceType: "AWS::Cognito::UserPool", ResourceName: poolArn(actor.account, region, pool) },
    ],
  };
}

function adminUserEvent(
  key: string,
  actor: Actor,
  region: string,
  pool: string,
  time: string,
  name: string,
  user: string,
): TrailEvent {
  return {
    key,
    time,
    account: actor.account,
    region,
    source: "cognito-idp.amazonaws.com",
    name,
    actor,
    requestParameters: { userPoolId: pool, username: user },
    responseElements: null,
    resources: [
      { ResourceType: "AWS::Cognito::UserPool", ResourceName: poolArn(actor.account, region, pool) },
    ],
  };
}

/** Every event of the demo quarter (drift included), in no particular order. */
export function demoEvents(changes: Change[], clock: string, windowEnd: string, rng: Random): TrailEvent[] {
  const a = demoActors(PROD, STAGING);
  const events: TrailEvent[] = changes.map((c) => ({ ...c.event, key: `change:${c.id}` }));
  const first = ms(clock) - LOOKBACK_DAYS * DAY_MS;
  const firstDay = Math.ceil(first / DAY_MS) * DAY_MS;
  let n = 0;
  const key = (what: string) => `${what}:${n++}`;

  for (let day = firstDay; day < ms(windowEnd); day += DAY_MS) {
    const weekday = ![0, 6].includes(new Date(day).getUTCDay());
    for (const person of [a.prod.tom, a.prod.priya, a.prod.maria, a.prod.support]) {
      if (rng.chance(weekday ? 0.7 : 0.08))
        events.push(consoleLogin(key("login"), person, EU, atTime(day, rng, 6, 10), true, false));
    }
    for (const person of [a.staging.lena, a.staging.sam, a.staging.tom]) {
      if (rng.chance(weekday ? 0.5 : 0.05))
        events.push(consoleLogin(key("login"), person, EU, atTime(day, rng, 7, 11), true, false));
    }
    // A shared IAM user without MFA, still used in staging.
    if (weekday && rng.chance(0.2))
      events.push(consoleLogin(key("login"), a.staging.legacy, EU, atTime(day, rng, 12, 18), true, false));
    // A contractor who signs in with a password only, until the account is removed.
    const contractorActive = day < ms("2026-09-25T00:00:00Z");
    if (contractorActive && weekday && rng.chance(0.25)) {
      events.push(consoleLogin(key("login"), a.prod.contractor, EU, atTime(day, rng, 9, 17), true, false));
    }
    if (contractorActive && weekday && rng.chance(0.05)) {
      // A mistyped password now and then.
      events.push(consoleLogin(key("login"), a.prod.contractor, EU, atTime(day, rng, 9, 17), false, false));
    }
    // New staff in the workforce pool; test users in staging.
    if (rng.chance(0.12)) {
      const user = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}@payments.example.com`;
      events.push(
        adminCreateUser(key("acu"), a.prod.support, EU, WORKFORCE_POOL_ID, atTime(day, rng, 8, 16), user),
      );
    }
    if (weekday && rng.chance(0.3)) {
      const user = `e2e-${rng.hex(8)}@test.payments.example.com`;
      const created = atTime(day, rng, 1, 3);
      events.push(adminCreateUser(key("acu"), a.staging.sam, EU, "eu-west-1_St4gQa9Zm", created, user));
      events.push(
        adminUserEvent(
          key("adu"),
          a.staging.sam,
          EU,
          "eu-west-1_St4gQa9Zm",
          atTime(day, rng, 4, 5),
          "AdminDeleteUser",
          user,
        ),
      );
    }
  }

  // Singular events, to the second.
  events.push(
    consoleLogin("root-login", a.prod.root, US, "2026-08-03T07:12:44Z", true, true),
    consoleLogin("breakglass-login", a.prod.breakglass, EU, "2026-08-15T21:49:30Z", true, true),
    iamEvent(
      "iam-1",
      a.prod.maria,
      "2026-07-08T10:21:37Z",
      "CreateUser",
      { userName: "svc-reconciliation", path: "/service/" },
      {
        user: {
          path: "/service/",
          userName: "svc-reconciliation",
          userId: "AIDAPRODSVCRECON0001",
          arn: `arn:aws:iam::${PROD}:user/service/svc-reconciliation`,
          createDate: "Jul 8, 2026, 10:21:37 AM",
        },
      },
    ),
    iamEvent(
      "iam-2",
      a.prod.maria,
      "2026-07-08T10:22:05Z",
      "CreateAccessKey",
      { userName: "svc-reconciliation" },
      {
        accessKey: {
          userName: "svc-reconciliation",
          accessKeyId: "AKIAQ7RECON01EXAMPLE",
          status: "Active",
          createDate: "Jul 8, 2026, 10:22:05 AM",
        },
      },
    ),
    iamEvent("iam-3", a.prod.maria, "2026-07-08T10:23:40Z", "AttachUserPolicy", {
      userName: "svc-reconciliation",
      policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    }),
    iamEvent("iam-4", a.prod.deploy, "2026-08-19T15:02:11Z", "PutUserPolicy", {
      userName: "svc-reconciliation",
      policyName: "settlement-bucket-read",
      policyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::payments-prod-settlement-111122223333/*"}]}',
    }),
    iamEvent(
      "iam-5",
      a.prod.maria,
      "2026-09-08T09:10:55Z",
      "CreateAccessKey",
      { userName: "svc-reconciliation" },
      {
        accessKey: {
          userName: "svc-reconciliation",
          accessKeyId: "AKIAQ7RECON02EXAMPLE",
          status: "Active",
          createDate: "Sep 8, 2026, 9:10:55 AM",
        },
      },
    ),
    iamEvent("iam-6", a.prod.maria, "2026-09-25T16:20:18Z", "DeleteUser", { userName: "contractor-jdoe" }),
    iamEvent(
      "iam-7",
      a.staging.legacy,
      "2026-08-04T13:05:27Z",
      "CreateAccessKey",
      { userName: "legacy-ops" },
      {
        accessKey: {
          userName: "legacy-ops",
          accessKeyId: "AKIAS7LEGACY1EXAMPLE",
          status: "Active",
          createDate: "Aug 4, 2026, 1:05:27 PM",
        },
      },
    ),
    iamEvent("iam-8", a.staging.tom, "2026-08-04T13:07:02Z", "AttachUserPolicy", {
      userName: "legacy-ops",
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    }),
    iamEvent(
      "iam-9",
      a.staging.deploy,
      "2026-09-14T08:33:19Z",
      "CreateUser",
      { userName: "ci-artifacts-uploader" },
      {
        user: {
          path: "/",
          userName: "ci-artifacts-uploader",
          userId: "AIDASTAGINGCIART0001",
          arn: `arn:aws:iam::${STAGING}:user/ci-artifacts-uploader`,
          createDate: "Sep 14, 2026, 8:33:19 AM",
        },
      },
    ),
    // A password typed into the request: CloudTrail keeps request parameters, so collectors must redact it.
    adminCreateUser(
      "acu-secret",
      a.prod.support,
      EU,
      WORKFORCE_POOL_ID,
      "2026-09-09T11:04:51Z",
      "night.shift@payments.example.com",
      {
        temporaryPassword: "fixture-temp-password-DO-NOT-LEAK-3",
        messageAction: "SUPPRESS",
      },
    ),
    adminUserEvent(
      "adis-1",
      a.prod.support,
      EU,
      WORKFORCE_POOL_ID,
      "2026-07-31T17:45:03Z",
      "AdminDisableUser",
      "ruth.meyer@payments.example.com",
    ),
    adminUserEvent(
      "adis-2",
      a.prod.support,
      EU,
      WORKFORCE_POOL_ID,
      "2026-09-30T16:02:37Z",
      "AdminDisableUser",
      "oscar.lind@payments.example.com",
    ),
    adminUserEvent(
      "adel-1",
      a.prod.support,
      EU,
      WORKFORCE_POOL_ID,
      "2026-08-31T09:15:22Z",
      "AdminDeleteUser",
      "ruth.meyer@payments.example.com",
    ),
    adminUserEvent(
      "adis-3",
      a.prod.maria,
      EU,
      CUSTOMER_POOL_ID,
      "2026-09-17T03:05:48Z",
      "AdminDisableUser",
      "fraud-case-88213@customers.payments.example.com",
    ),
  );

  // A password-guessing burst against the break-glass user: 120 failures in 30 minutes.
  const burst = ms("2026-09-17T02:10:00Z");
  for (let i = 0; i < 120; i++) {
    events.push(
      consoleLogin(
        `burst:${i}`,
        a.prod.attacker,
        EU,
        isoSeconds(burst + i * 15_000 + rng.int(0, 9) * 1000),
        false,
        false,
      ),
    );
  }
  return events;
}

export const BURST_DAY = "2026-09-17";

/** [start, end) cut at UTC midnights, as the collector does. */
function utcDays(start: number, end: number): { start: number; end: number }[] {
  const out = [];
  for (let t = start; t < end; ) {
    const next = Math.min((Math.floor(t / DAY_MS) + 1) * DAY_MS, end);
    out.push({ start: t, end: next });
    t = next;
  }
  return out;
}

/** LookupEvents' largest page, which the collector asks for. */
const PAGE = 50;

/** Newest first, as CloudTrail returns them. */
function newestFirst(events: TrailEvent[]): TrailEvent[] {
  return [...events].sort((x, y) => ms(y.time) - ms(x.time) || x.key.localeCompare(y.key));
}

/**
 * LookupEvents answers for one account and region, in the collector's request pattern:
 *
 * - per day, for each "busy" name (more than one page over the window) and every UTC day: pages of at
 *   most 50, keyed by the name, the day's StartTime and EndTime, and NextToken;
 * - per name with events: one whole-window answer, keyed by the name and the window's EndTime (not its
 *   StartTime, so a `--since` run that starts later is answered too; the collector drops what lies
 *   before its start). A quiet name gets all its events; a busy one its newest page and a NextToken,
 *   which the collector never follows (it asks per day instead);
 * - one catch-all with no events, for names that have none.
 *
 * Per-day answers come first and carry their own EndTime, so a whole-window request (EndTime = window
 * end, StartTime before the last day) never matches one, and the last day's request never reaches the
 * whole-window answer.
 */
export function lookupAnswers(
  events: TrailEvent[],
  window: { start: string; end: string },
  clock: string,
  rng: Random,
): Answer[] {
  const start = Math.max(ms(window.start), ms(clock) - LOOKBACK_DAYS * DAY_MS);
  const end = ms(window.end);
  const inWindow = events.filter((e) => ms(e.time) >= start && ms(e.time) < end);
  const perDay: Answer[] = [];
  const wholeWindow: Answer[] = [];
  for (const name of [...new Set(inWindow.map((e) => e.name))].sort()) {
    const filter = { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] };
    const list = newestFirst(inWindow.filter((e) => e.name === name));
    const busy = list.length > PAGE;
    wholeWindow.push({
      params: { ...filter, EndTime: end / 1000, NextToken: null },
      response: {
        Events: list.slice(0, PAGE).map(renderEvent),
        ...(busy ? { NextToken: rng.token() } : {}),
      },
    });
    if (!busy) continue;
    for (const day of utcDays(start, end)) {
      const ofDay = list.filter((e) => ms(e.time) >= day.start && ms(e.time) < day.end);
      const base = { ...filter, StartTime: day.start / 1000, EndTime: day.end / 1000 };
      let previous: string | null = null;
      let offset = 0;
      do {
        const next = offset + PAGE < ofDay.length ? rng.token() : undefined;
        perDay.push({
          params: { ...base, NextToken: previous },
          response: {
            Events: ofDay.slice(offset, offset + PAGE).map(renderEvent),
            ...(next ? { NextToken: next } : {}),
          },
        });
        previous = next ?? null;
        offset += PAGE;
      } while (offset < ofDay.length);
    }
  }
  return [...perDay, ...wholeWindow, { response: { Events: [] } }];
}
