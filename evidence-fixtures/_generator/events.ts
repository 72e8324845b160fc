import { type Actor, userIdentity, username } from "./actors.js";
import { accessKeyId, uuidFor } from "./ids.js";
import { epoch } from "./time.js";

/** One CloudTrail management event, before it is rendered into LookupEvents' `Event` shape. */
export interface TrailEvent {
  /** Unique key; the EventId is derived from it, so drift events have stable ids. */
  key: string;
  time: string;
  account: string;
  region: string;
  source: string;
  name: string;
  actor: Actor;
  readOnly?: boolean;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  resources?: { ResourceType: string; ResourceName: string }[];
}

function fromConsole(actor: Actor): boolean {
  return actor.userAgent.startsWith("Mozilla/");
}

export function eventId(event: TrailEvent): string {
  return uuidFor(`event:${event.key}`);
}

/** LookupEvents' Event: the summary members plus the full record as a JSON string. */
export function renderEvent(event: TrailEvent): Record<string, unknown> {
  const consoleLogin = event.name === "ConsoleLogin";
  const identity = userIdentity(event.actor, event.time, consoleLogin);
  const id = eventId(event);
  const record: Record<string, unknown> = {
    eventVersion: "1.11",
    userIdentity: identity,
    eventTime: event.time,
    eventSource: event.source,
    eventName: event.name,
    awsRegion: event.region,
    sourceIPAddress: event.actor.ip,
    // API calls made from the console by a browser session show up as "AWS Internal".
    userAgent: !consoleLogin && fromConsole(event.actor) ? "AWS Internal" : event.actor.userAgent,
  };
  if (event.errorCode) record.errorCode = event.errorCode;
  if (event.errorMessage) record.errorMessage = event.errorMessage;
  record.requestParameters = event.requestParameters ?? null;
  record.responseElements = event.responseElements ?? null;
  if (event.additionalEventData) record.additionalEventData = event.additionalEventData;
  if (!consoleLogin) record.requestID = uuidFor(`request:${event.key}`);
  record.eventID = id;
  record.readOnly = event.readOnly ?? false;
  if (event.resources) {
    record.resources = event.resources.map((r) => ({
      accountId: event.account,
      type: r.ResourceType,
      ARN: r.ResourceName,
    }));
  }
  record.eventType = consoleLogin ? "AwsConsoleSignIn" : "AwsApiCall";
  record.managementEvent = true;
  record.recipientAccountId = event.account;
  record.eventCategory = "Management";
  if (!consoleLogin) {
    record.tlsDetails = {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: `${event.source.replace(".amazonaws.com", "")}.${event.region}.amazonaws.com`,
    };
    if (fromConsole(event.actor)) record.sessionCredentialFromConsole = "true";
  }
  const out: Record<string, unknown> = {
    EventId: id,
    EventName: event.name,
    ReadOnly: String(event.readOnly ?? false),
  };
  if (!consoleLogin && event.actor.kind !== "root") {
    out.AccessKeyId =
      event.actor.kind === "iamuser"
        ? accessKeyId("AKIA", `${event.account}/${event.actor.principal}`)
        : accessKeyId("ASIA", `${event.account}/${event.actor.session}/${event.time.slice(0, 10)}`);
  }
  out.EventTime = epoch(event.time);
  out.EventSource = event.source;
  out.Username = username(event.actor);
  out.Resources = event.resources ?? [];
  out.CloudTrailEvent = JSON.stringify(record);
  return out;
}
