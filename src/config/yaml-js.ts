import type { Document } from "yaml";
import { UsageError } from "../errors.js";

/**
 * Aliases a document may expand before it is refused. yaml's default (100) already stops a
 * "billion laughs" document, but by throwing a ReferenceError; this turns that into a UsageError
 * naming the file, so a hostile config, catalog or waivers file exits 2, not 70.
 */
export const MAX_YAML_ALIASES = 100;

/** doc.toJS() with the alias cap, as a UsageError that names `source` (e.g. "config file x.yaml"). */
export function yamlToJs(doc: Document, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (cause) {
    if (cause instanceof ReferenceError || cause instanceof RangeError) {
      throw new UsageError(`${source} is not usable: ${cause.message}`, {
        cause,
        hint: `YAML aliases (*name) may expand at most ${MAX_YAML_ALIASES} times; write the values out`,
      });
    }
    throw cause;
  }
}
