/**
 * Tolerant field access over AWS payloads. SDK outputs are PascalCase for most services but
 * camelCase for CloudWatch Logs and Config; Config configuration items use either, depending on the
 * resource type. Reading both spellings lets one adapter serve snapshots and Config items.
 */
export type Json = Record<string, unknown>;

const variants = (name: string): string[] => {
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return [name, upper, lower];
};

export function field(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const name of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    const rec = cur as Json;
    cur = undefined;
    for (const v of variants(name)) {
      if (v in rec && rec[v] !== undefined && rec[v] !== null) {
        cur = rec[v];
        break;
      }
    }
  }
  return cur;
}

export function str(obj: unknown, ...path: string[]): string | undefined {
  const v = field(obj, ...path);
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

export function num(obj: unknown, ...path: string[]): number | undefined {
  const v = field(obj, ...path);
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function bool(obj: unknown, ...path: string[]): boolean | undefined {
  const v = field(obj, ...path);
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  return undefined;
}

export function arr(obj: unknown, ...path: string[]): unknown[] {
  const v = field(obj, ...path);
  return Array.isArray(v) ? v : [];
}

export function strings(obj: unknown, ...path: string[]): string[] {
  return arr(obj, ...path).filter((x): x is string => typeof x === "string");
}

/** Config stores `configuration` as a JSON string; parse it when it is one. */
export function jsonObject(value: unknown): Json | undefined {
  if (typeof value === "string") {
    try {
      const parsed = JSON.parse(value) as unknown;
      return parsed !== null && typeof parsed === "object" ? (parsed as Json) : undefined;
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === "object" ? (value as Json) : undefined;
}

/** Keep only the members that are defined, so a partial state never erases a known value. */
export function defined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Json)[k] = v;
  return out;
}

export function trailArn(account: string, region: string, nameOrArn: string): string {
  return nameOrArn.startsWith("arn:")
    ? nameOrArn
    : `arn:aws:cloudtrail:${region}:${account}:trail/${nameOrArn}`;
}
