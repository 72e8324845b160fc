/** Time helpers. The awsJson wire format carries timestamps as epoch seconds (what the SDK parses). */

export const DAY_MS = 24 * 3600 * 1000;

export function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad timestamp ${iso}`);
  return t;
}

/** Wire form of a timestamp: epoch seconds (fractional when there are milliseconds). */
export function epoch(iso: string | number): number {
  const t = typeof iso === "number" ? iso : ms(iso);
  return t / 1000;
}

/** ISO 8601 without milliseconds, as CloudTrail writes eventTime. */
export function isoSeconds(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function addSeconds(iso: string, seconds: number): string {
  return isoSeconds(ms(iso) + seconds * 1000);
}
