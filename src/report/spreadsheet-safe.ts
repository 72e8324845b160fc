/**
 * Text that a spreadsheet shows as text. Resource names, tags, reasons and CloudTrail user names come
 * from the audited environment; a value starting with `=`, `+`, `-` or `@` (or a tab or carriage
 * return, which some spreadsheets skip before such a character) runs as a formula when findings.csv
 * or report.xlsx is opened, e.g. `=HYPERLINK("http://x","y")`. As OWASP's "CSV Injection" page
 * advises, such a cell is prefixed with a single quote, so it is shown as text. A plain number
 * ("-5", "+1.5") is not a formula and stays as it is. findings.json keeps the original text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * spreadsheetSafe for a cell value of any type: only text can turn into a formula, a plain string or
 * the shown text of a hyperlink cell (`{ text, hyperlink }`).
 */
export function spreadsheetSafeValue<T>(value: T): T {
  if (typeof value === "string") return spreadsheetSafe(value) as T;
  if (value !== null && typeof value === "object" && "text" in value && typeof value.text === "string")
    return { ...value, text: spreadsheetSafe(value.text) } as T;
  return value;
}
