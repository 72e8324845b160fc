import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { fillText, loadReportTemplate, paragraphs } from "../../src/report/templates.js";

const dir = () => mkdtempSync(path.join(os.tmpdir(), "auditpack-template-"));

describe("report templates", () => {
  it("loads the bundled branding, text and the framework's layout", () => {
    const t = loadReportTemplate("pci-dss-4.0.1");
    expect(t.layout.groups).toHaveLength(12);
    expect(t.layout.groups.find((g) => g.id === "8")?.title).toBe("User identification and authentication");
    expect(t.branding.status.FAIL).toMatch(/^#[0-9A-F]{6}$/i);
    expect(t.text.methodology).toContain("RFC 8785");
    // A framework without its own layout gets the default one.
    expect(loadReportTemplate("soc2-2017").layout.groups).toEqual([]);
  });

  it("--template overrides key by key and file by file", () => {
    const d = dir();
    writeFileSync(
      path.join(d, "branding.yaml"),
      'organisation: "Acme Card Services"\ncolours:\n  primary: "#000000"\n',
    );
    writeFileSync(path.join(d, "text.yaml"), "introduction: Our own words for {organisation}.\n");
    mkdirSync(path.join(d, "layout"));
    writeFileSync(path.join(d, "layout", "pci-dss-4.0.yaml"), "rowsPerTable: 25\n");
    const t = loadReportTemplate("pci-dss-4.0.1", d);
    expect(t.branding.organisation).toBe("Acme Card Services");
    expect(t.branding.colours.primary).toBe("#000000");
    expect(t.branding.colours.accent).toBe(loadReportTemplate("pci-dss-4.0.1").branding.colours.accent);
    expect(t.text.introduction).toBe("Our own words for {organisation}.");
    expect(t.text.methodology).toContain("RFC 8785");
    expect(t.layout.rowsPerTable).toBe(25);
    expect(t.layout.groups).toHaveLength(12);
  });

  it("names the file and field of an invalid override", () => {
    const d = dir();
    writeFileSync(path.join(d, "branding.yaml"), 'colours:\n  primary: "red"\nslogan: x\n');
    expect(() => loadReportTemplate("pci-dss-4.0.1", d)).toThrow(UsageError);
    expect(() => loadReportTemplate("pci-dss-4.0.1", d)).toThrow(
      /branding\.yaml[\s\S]*colours\.primary: a colour[\s\S]*unknown key "slogan"/,
    );
    expect(() => loadReportTemplate("pci-dss-4.0.1", path.join(d, "missing"))).toThrow(
      /--template .* is not a directory/,
    );
  });

  it("reads a PNG logo relative to the template that names it, and refuses other files", () => {
    const d = dir();
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
      "hex",
    );
    writeFileSync(path.join(d, "logo.png"), png);
    writeFileSync(path.join(d, "branding.yaml"), "logo: logo.png\n");
    expect(loadReportTemplate("pci-dss-4.0.1", d).logo).toEqual({ data: png, format: "png" });
    writeFileSync(path.join(d, "logo.png"), "not an image");
    expect(() => loadReportTemplate("pci-dss-4.0.1", d)).toThrow(/neither PNG nor JPEG/);
  });

  it("fills placeholders and splits paragraphs", () => {
    expect(fillText("{organisation} for {period}; {typo}", { organisation: "Acme", period: "2026-Q3" })).toBe(
      "Acme for 2026-Q3; {typo}",
    );
    expect(paragraphs("one\nline\n\n  two\n")).toEqual(["one line", "two"]);
  });
});
