import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { csvField, csvLine, writeFindingsJson } from "../../src/report/csv.js";
import { fixtureFindings } from "./fixture.js";

describe("findings.csv and findings.json", () => {
  it("quotes fields as RFC 4180 asks", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvLine(["a", "b,c", ""])).toBe('a,"b,c",\r\n');
  });

  it("streams findings.json that parses back to the same object", async () => {
    const findings = fixtureFindings();
    // undefined members are dropped, as in JSON.stringify.
    (findings.requirements[0] as { extra?: unknown }).extra = undefined;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "auditpack-json-")), "findings.json");
    await writeFindingsJson(findings, file);
    const text = readFileSync(file, "utf8");
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(findings)));
    // Indented, but each evidence reference (an object of plain values) on one line of its own.
    const ref = findings.requirements.flatMap((r) => r.checks.flatMap((c) => c.findings))[0]!.evidence[0]!;
    expect(text.split("\n").map((line) => line.trim())).toContain(`${JSON.stringify(ref)},`);
    expect(text.split("\n").length).toBeLessThan(JSON.stringify(findings, null, 2).split("\n").length);
    await expect(writeFindingsJson(findings, file)).rejects.toThrow(/EEXIST/);
  });
});
