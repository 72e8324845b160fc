import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Findings } from "../../src/evaluate/types.js";
import { escapeHtml } from "../../src/report/html.js";
import { type BuiltReport, buildReport } from "../../src/report/package.js";
import { fixtureCatalog, fixtureFindings } from "./fixture.js";

/**
 * report.html in a real headless Chromium (Debian's chromium, never a downloaded browser): it loads
 * from file:// with no console error and no request leaving the page, the filter narrows the
 * findings table, key cells match findings.json, and a screenshot is kept in the test's temp dir.
 */

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the report.html browser test: ${CHROMIUM} is not installed`);

// Kept after the run: CI collects the screenshot from here.
const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-html-test-"));
const findings = fixtureFindings();
let built: BuiltReport;

/** The fixture's evidence bytes are the strings their hashes were made from. */
function fixtureSource(f: Findings) {
  const bytes = new Map<string, Buffer>();
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  const candidates = (key: string) => {
    const m = /^evidence\/\d+\/([^/]+)\/([^/]+)\/\d{4}\/\d{2}\/\d{2}\/(.+)_[0-9a-f]{64}\.json$/.exec(key);
    if (m) return [`${m[2]}/${m[1]}/${m[3]!.replace(/T(\d\d)-(\d\d)-(\d\d)Z$/, "T$1:$2:$3Z")}`];
    return ["internal-scan-q3"];
  };
  for (const r of f.requirements) {
    for (const a of r.attachments ?? []) bytes.set(a.key, Buffer.from("internal-scan-q3"));
    for (const c of r.checks)
      for (const fi of c.findings)
        for (const e of [...fi.evidence, ...fi.intervals.flatMap((i) => i.evidence)])
          for (const text of candidates(e.key))
            if (sha(Buffer.from(text)) === e.sha256) bytes.set(e.key, Buffer.from(text));
  }
  return {
    get: async (key: string) => {
      const b = bytes.get(key);
      if (!b) throw new Error(`no fixture bytes for ${key}`);
      return b;
    },
  };
}

beforeAll(async () => {
  built = await buildReport({
    findings,
    catalog: fixtureCatalog(),
    out: path.join(work, "pkg"),
    sign: false,
    formats: ["json", "html"],
    withEvidence: fixtureSource(findings),
  });
}, 60_000);

describe("report.html (static)", () => {
  it("is self-contained: no external URL, script or stylesheet reference", () => {
    const html = readFileSync(path.join(built.dir, "report.html"), "utf8");
    expect(html).not.toMatch(/<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("Content-Security-Policy");
  });

  it("escapes markup in resource names and reasons", () => {
    expect(escapeHtml(`<script>"x"&'y'</script>`)).toBe(
      "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;",
    );
  });

  it("--with-evidence copies every cited record, and the page links them", () => {
    const html = readFileSync(path.join(built.dir, "report.html"), "utf8");
    const keys = [
      ...html.matchAll(
        /<tr class="ev" id="E\d+"><td class="id">E\d+<\/td><td class="mono"><a href="([^"]+)"/g,
      ),
    ].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(5);
    for (const k of keys) expect(existsSync(path.join(built.dir, decodeURI(k)))).toBe(true);
  });
});

describe.skipIf(!haveChromium)("report.html in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  it("loads from file:// with no console error and no request leaving the page; the filter narrows the table", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    const url = pathToFileURL(path.join(built.dir, "report.html")).href;
    await page.goto(url, { waitUntil: "load" });
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);

    const rows = page.locator("#findings > tbody > tr");
    const total = await rows.count();
    const expected = findings.requirements.flatMap((r) =>
      r.checks.flatMap((c) => c.findings.map((f) => ({ r, c, f }))),
    );
    expect(total).toBe(expected.length);
    await expect.poll(() => page.locator("#shown").textContent()).toBe(`${total} of ${total} findings shown`);

    // Key cells match findings.json, row for row.
    const json = JSON.parse(readFileSync(path.join(built.dir, "findings.json"), "utf8")) as Findings;
    const fromJson = json.requirements.flatMap((r) =>
      r.checks.flatMap((c) => c.findings.map((f) => [r.id, c.id, f.resource, f.account, f.region])),
    );
    const cells = await page.$$eval("#findings > tbody > tr", (trs) =>
      trs.map((tr) =>
        Array.from(tr.children)
          .slice(0, 5)
          .map((td) => (td.textContent ?? "").trim()),
      ),
    );
    expect(cells).toEqual(fromJson);
    const statuses = await page.$$eval("#findings > tbody > tr", (trs) =>
      trs.map((tr) => tr.getAttribute("data-status")),
    );
    expect(statuses).toEqual(
      json.requirements.flatMap((r) => r.checks.flatMap((c) => c.findings.map((f) => f.status))),
    );

    // Typing narrows the table to the rows that mention the text.
    const failing = expected.find((e) => e.f.status === "FAIL")!;
    await page.fill("#q", failing.f.resource);
    const visible = await page.$$eval("#findings > tbody > tr:not([hidden])", (trs) =>
      trs.map((tr) => tr.textContent ?? ""),
    );
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(total);
    for (const t of visible) expect(t).toContain(failing.f.resource);
    await page.fill("#q", "");
    await page.selectOption("#status", "FAIL");
    const failRows = await page.locator("#findings > tbody > tr:not([hidden])").count();
    expect(failRows).toBe(expected.filter((e) => e.f.status === "FAIL").length);
    await page.selectOption("#status", "");
    await page.fill("#q", "no-such-resource-anywhere");
    expect(await page.locator("#findings > tbody > tr:not([hidden])").count()).toBe(0);

    // An evidence reference jumps to its record, whose key and SHA-256 are shown.
    await page.fill("#q", failing.f.resource);
    await page
      .locator("#findings > tbody > tr:not([hidden]) details")
      .first()
      .evaluate((d) => {
        (d as HTMLDetailsElement).open = true;
      });
    const screenshot = path.join(work, "report-html.png");
    await page.screenshot({ path: screenshot, fullPage: false });
    console.log(`report.html screenshot: ${screenshot}`);
    expect(existsSync(screenshot)).toBe(true);
    const ev = page.locator("tr.ev").first();
    expect(await ev.locator("td").nth(2).textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await context.close();
  }, 60_000);
});
