import { CALLER_IDENTITY, iamAction, SERVICE_NAMES } from "../aws/services.js";
import { UsageError } from "../errors.js";
import type { StateAdapter } from "../state/adapter.js";
import type { Kind } from "../state/history.js";
import type { ResourceType } from "../state/types.js";
import { didYouMean } from "../suggest.js";
import { declaredCollectors } from "./index.generated.js";
import type { AnyCollector } from "./types.js";

export type { AnyCollector };

/**
 * Every collector (src/collectors/<service>/<id>.ts, listed by index.generated.ts), in the order runs
 * and listings show them: by service as aws/services.ts lists them, snapshots before history, then id.
 */
export const collectors: readonly AnyCollector[] = [...declaredCollectors].sort(
  (a, b) =>
    SERVICE_NAMES.indexOf(a.service) - SERVICE_NAMES.indexOf(b.service) ||
    Number(a.cadence === "history") - Number(b.cadence === "history") ||
    a.id.localeCompare(b.id),
);

export const collectorIds: readonly string[] = collectors.map((c) => c.id);

export function getCollector(id: string): AnyCollector {
  const found = collectors.find((c) => c.id === id);
  if (found) return found;
  const suggestion = didYouMean(id, collectorIds);
  throw new UsageError(`unknown collector "${id}"${suggestion ? `: ${suggestion}` : ""}`, {
    hint: `collectors: ${collectorIds.join(", ")}`,
  });
}

/** Each collector's state adapter, by id: how its records become observations. */
export const stateAdapters: ReadonlyMap<string, StateAdapter> = new Map(
  collectors.map((c) => [c.id, c.state]),
);

/** Collectors whose records describe a window of history rather than the state when collected. */
export const historyCollectorIds: ReadonlySet<string> = new Set(
  collectors.filter((c) => c.cadence === "history").map((c) => c.id),
);

/** History collectors whose records are CloudTrail events (their adapter reads an account and region's stream). */
export const activityCollectorIds: ReadonlySet<string> = new Set(
  collectors.filter((c) => c.cadence === "history" && c.state.mode === "scope").map((c) => c.id),
);

/** History collectors whose records are AWS Config configuration timelines. */
export const timelineCollectorIds: ReadonlySet<string> = new Set(
  [...historyCollectorIds].filter((id) => !activityCollectorIds.has(id)),
);

/** Resource kinds each snapshot collector reports on (its error records make them ERROR). */
export const SNAPSHOT_KINDS: Readonly<Record<string, readonly Kind[]>> = Object.fromEntries(
  collectors.filter((c) => c.cadence === "snapshot").map((c) => [c.id, c.state.kinds]),
);

/**
 * Collectors whose evidence builds each resource type's states: the snapshot collectors whose own
 * kinds include it first (they are its main source), then the other snapshots, then history.
 */
export function collectorsFor(type: ResourceType): string[] {
  const feeding = collectors.filter((c) => c.resourceTypes.includes(type));
  const rank = (c: AnyCollector) =>
    c.cadence === "history" ? 2 : (c.state.kinds as readonly string[]).includes(type) ? 0 : 1;
  return feeding
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c.id);
}

/** The collectors that run on each default cron (when the config has no `schedules`), in first-use order. */
export function defaultSchedules(): Array<{ cron: string; collectors: string[] }> {
  const jobs = new Map<string, string[]>();
  for (const c of collectors) jobs.set(c.schedule, [...(jobs.get(c.schedule) ?? []), c.id]);
  return [...jobs].map(([cron, ids]) => ({ cron, collectors: ids }));
}

/** Calls every run makes besides the collectors' own: who is calling, for the run manifest. */
const RUNNER_ACTIONS = [iamAction(CALLER_IDENTITY.service, CALLER_IDENTITY.operation)];

export interface IamPolicy {
  Version: "2012-10-17";
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: "*" }[];
}

/** The least-privilege policy built from the collectors' declared IAM actions. */
export function iamPolicy(list: readonly Pick<AnyCollector, "iamActions">[] = collectors): IamPolicy {
  const actions = new Set(RUNNER_ACTIONS);
  for (const c of list) for (const action of c.iamActions) actions.add(action);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AuditpackReadOnlyCollection", Effect: "Allow", Action: [...actions].sort(), Resource: "*" },
    ],
  };
}
