import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { IgnoredRecord } from "../evidence/vouched.js";
import type { RoleSighting } from "./assessment-scope.js";
import { byKey } from "./evidence-table.js";
import type { FindingsPartial } from "./partial.js";
import type { CoverageEntry, EvidenceTableEntry, ResourceFinding } from "./types.js";

/**
 * What a merge reads its batches from (evaluate.ts mergeSource): each check's findings over every
 * batch in batch order, the evidence table sorted by key, and the small per-batch lists.
 * `findingsOf` and `evidence` may be iterated more than once; each pass reads them again.
 */
export interface MergeSource {
  findingsOf(checkKey: string): Iterable<ResourceFinding>;
  evidence(): Iterable<EvidenceTableEntry>;
  /** How many entries `evidence` holds (counted as batches arrive: no pass over the table). */
  readonly records: number;
  coverage: CoverageEntry[];
  sightings: RoleSighting[];
  ignored: IgnoredRecord[];
  sources: string[];
  scenarios: string[];
}

/** Partials held in memory (the library's `evaluate`, the AWS merge task). */
export function memorySource(partials: readonly FindingsPartial[]): MergeSource {
  let table: EvidenceTableEntry[] | undefined;
  return {
    *findingsOf(key) {
      for (const p of partials) yield* p.checks[key]!;
    },
    evidence() {
      table ??= partials.flatMap((p) => p.evidence).sort(byKey);
      return table;
    },
    records: partials.reduce((n, p) => n + p.evidence.length, 0),
    coverage: partials.flatMap((p) => p.coverage),
    sightings: partials.flatMap((p) => p.sightings),
    ignored: partials.flatMap((p) => p.ignored),
    sources: partials.flatMap((p) => p.sources),
    scenarios: partials.flatMap((p) => p.scenarios),
  };
}

/**
 * Batches written to a temporary folder as they are evaluated (one JSON line per finding, a file per
 * check, and one for the evidence table), so what stays in memory while the next batch is read is
 * its coverage and sightings, not its findings. `dispose` removes the folder.
 */
export class SpilledPartials implements MergeSource {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-evaluate-"));
  readonly coverage: CoverageEntry[] = [];
  readonly sightings: RoleSighting[] = [];
  readonly ignored: IgnoredRecord[] = [];
  readonly sources: string[] = [];
  readonly scenarios: string[] = [];
  records = 0;
  private readonly files = new Map<string, string>();
  private lastKey = "";
  /** A batch's first key sorted before the previous batch's last (scope not in account order). */
  private unsorted = false;

  /** An exit before dispose (a closed stdout pipe, a signal handler's exit) still removes the folder. */
  private readonly onExit = () => this.dispose();

  constructor(checkKeys: Iterable<string>) {
    process.once("exit", this.onExit);
    for (const key of checkKeys) {
      const file = path.join(this.dir, `check-${this.files.size}.jsonl`);
      writeFileSync(file, "", { flag: "wx" });
      this.files.set(key, file);
    }
    writeFileSync(this.evidenceFile, "", { flag: "wx" });
  }

  private get evidenceFile(): string {
    return path.join(this.dir, "evidence.jsonl");
  }

  add(partial: FindingsPartial): void {
    for (const [key, file] of this.files) appendLines(file, partial.checks[key]!);
    const table = [...partial.evidence].sort(byKey);
    if (table.length > 0) {
      if (table[0]!.key < this.lastKey) this.unsorted = true;
      this.lastKey = table[table.length - 1]!.key;
    }
    appendLines(this.evidenceFile, table);
    this.records += table.length;
    this.coverage.push(...partial.coverage);
    this.sightings.push(...partial.sightings);
    this.ignored.push(...partial.ignored);
    this.sources.push(...partial.sources);
    this.scenarios.push(...partial.scenarios);
  }

  findingsOf(key: string): Iterable<ResourceFinding> {
    return jsonLines<ResourceFinding>(this.files.get(key)!);
  }

  evidence(): Iterable<EvidenceTableEntry> {
    const lines = jsonLines<EvidenceTableEntry>(this.evidenceFile);
    // Batches in account order follow each other in key order; any other order is sorted here.
    return this.unsorted ? [...lines].sort(byKey) : lines;
  }

  dispose(): void {
    process.off("exit", this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function appendLines(file: string, values: readonly unknown[]): void {
  if (values.length === 0) return;
  appendFileSync(file, values.map((v) => `${JSON.stringify(v)}\n`).join(""));
}

/** The values of a JSON-lines file, read in 1 MiB chunks. */
function* jsonLines<T>(file: string): Generator<T> {
  const fd = openSync(file, "r");
  const chunk = Buffer.alloc(1 << 20);
  const decoder = new StringDecoder("utf8");
  let rest = "";
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const text = rest + decoder.write(chunk.subarray(0, n));
      const lines = text.split("\n");
      rest = lines.pop()!;
      for (const line of lines) yield JSON.parse(line) as T;
    }
  } finally {
    closeSync(fd);
  }
}
