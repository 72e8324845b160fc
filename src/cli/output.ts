/**
 * Where a command's words go. Human text goes to stderr when --json is set (stdout then carries only
 * the JSON document); --quiet keeps only errors; --verbose adds detail lines.
 */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

export class Output {
  constructor(
    readonly options: OutputOptions,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  get json(): boolean {
    return this.options.json;
  }

  /** Normal human output: stdout, or stderr under --json. */
  info(line: string): void {
    if (this.options.quiet) return;
    (this.options.json ? this.stderr : this.stdout).write(`${line}\n`);
  }

  detail(line: string): void {
    if (this.options.verbose && !this.options.quiet) this.stderr.write(`${line}\n`);
  }

  warn(line: string): void {
    if (!this.options.quiet) this.stderr.write(`warning: ${line}\n`);
  }

  /**
   * A notice that is neither a result nor a problem (a retired framework id resolved to its
   * successor): always stderr, so stdout stays the result. An arrow function, to pass as a callback.
   */
  notice = (line: string): void => {
    if (!this.options.quiet) this.stderr.write(`${line}\n`);
  };

  error(line: string): void {
    this.stderr.write(`error: ${line}\n`);
  }

  /** The machine-readable result of a command (only under --json). */
  result(value: unknown): void {
    if (this.options.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A machine-readable result written in chunks (streamed findings; only under --json). */
  resultChunks(chunks: Iterable<string>): void {
    if (!this.options.json) return;
    for (const chunk of chunks) this.stdout.write(chunk);
    this.stdout.write("\n");
  }

  /** True when progress bars make sense (a terminal, not --json/--quiet). */
  get interactive(): boolean {
    return !this.options.json && !this.options.quiet && Boolean((this.stderr as { isTTY?: boolean }).isTTY);
  }

  get errStream(): NodeJS.WritableStream {
    return this.stderr;
  }
}
