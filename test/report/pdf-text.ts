/** Reading PDFs through pdftotext in tests. */

const SUBHEADINGS = new Set([
  "What it asks",
  "How it is assessed",
  "Result over the period",
  "Failing intervals",
  "Evidence",
  "Evidence records",
  "Attached evidence",
  "Waivers",
  "Attestation",
  "Findings by resource",
]);

/**
 * "page N: <heading>" for every page whose last line of content is a heading, from `pdftotext
 * -layout` output (lines in page order; the page frame and watermark fragments are dropped).
 */
export function orphanedHeadings(pdfText: string, confidentiality: string): string[] {
  const frame = (l: string) =>
    /^Report AP-|^DEMONSTRATION DATA|page \d+ of \d+$/.test(l) ||
    l === confidentiality ||
    l.includes(" · ") ||
    // Fragments of the diagonal watermark.
    (/^[A-Z]{1,18}$/.test(l) && "DEMONSTRATION DATA".replace(" ", "").includes(l));
  const heading = (l: string) =>
    /^\d+(\.\d+)+\s+\S.*\s(PASS|FAIL|ERROR|MANUAL|NOT APPLICABLE)$/.test(l) ||
    SUBHEADINGS.has(l) ||
    /^(How auditpack tested it|Findings by resource)/.test(l);
  const out: string[] = [];
  pdfText.split("\f").forEach((page, i) => {
    const lines = page
      .split("\n")
      .map((l) =>
        l
          .trim()
          .split(/\s{3,}/)
          .filter((cell) => !frame(cell))
          .join(" "),
      )
      .filter((l) => l && !frame(l));
    const last = lines[lines.length - 1];
    if (last !== undefined && heading(last)) out.push(`page ${i + 1}: ${last}`);
  });
  return out;
}
