/** The fixture format of docs/EVIDENCE.md ("Fixture scenarios"), as the generator writes it. */
import type { ServiceName } from "../../src/aws/services.js";

export interface FixtureError {
  code: string;
  message?: string;
  status?: number;
}

export interface Answer {
  params?: Record<string, unknown>;
  response?: unknown;
  error?: FixtureError;
  times?: number;
  /** Only for runs whose clock is in [from, until). */
  from?: string;
  until?: string;
}

/** Operation name -> ordered answers. */
export type ServiceFile = Record<string, Answer[]>;

/** A service signing name (the fixture file name), from src/aws/services.ts. */
export type Service = ServiceName;

export interface ScenarioMeta {
  description: string;
  clock: string;
  accounts: string[];
  regions: string[];
  window: { start: string; end: string };
  /** Snapshot collectors ran every intervalHours from first until the clock (then everything at the clock). */
  schedule?: { collectors: string[]; first: string; intervalHours: number };
}

export interface Scenario {
  name: string;
  meta: ScenarioMeta;
  /** `<account>/<region|global>/<service>.json` -> its answers. */
  files: Map<string, ServiceFile>;
  /** Extra documents written beside scenario.json (e.g. DRIFT.md). */
  documents?: Map<string, string>;
}

export function fileKey(account: string, region: string, service: Service): string {
  return `${account}/${region}/${service}.json`;
}

/** Answers for a list split into pages: the first has `NextToken: null`, the rest the previous token. */
export function paged<T>(
  items: readonly T[],
  pageSize: number,
  tokens: () => string,
  page: (slice: T[], nextToken: string | undefined) => unknown,
  opts: { params?: Record<string, unknown>; tokenParam?: string } = {},
): Answer[] {
  const tokenParam = opts.tokenParam ?? "NextToken";
  const answers: Answer[] = [];
  let previous: string | null = null;
  let offset = 0;
  do {
    const slice = items.slice(offset, offset + pageSize);
    offset += pageSize;
    const next = offset < items.length ? tokens() : undefined;
    answers.push({ params: { ...opts.params, [tokenParam]: previous }, response: page(slice, next) });
    previous = next ?? null;
  } while (offset < items.length);
  return answers;
}
