import { describe, expect, it } from "vitest";
import { FilterPatternError, matchesEvent, parseFilterPattern } from "../../src/logs/filter-pattern/index.js";

const matches = (pattern: string, event: unknown): boolean =>
  matchesEvent(parseFilterPattern(pattern), typeof event === "string" ? event : JSON.stringify(event));

/**
 * The examples of the CloudWatch Logs User Guide, "Filter pattern syntax ...": the JSON log events
 * it uses and the patterns it says match them (or not).
 */
describe("JSON filter patterns: the CloudWatch Logs documentation's examples", () => {
  const event = {
    eventType: "UpdateTrail",
    sourceIPAddress: "111.111.111.111",
    arrayKey: ["value", "another value"],
    objectList: [
      { name: "a", id: 1 },
      { name: "b", id: 2 },
    ],
    SomeObject: null,
    cannotCombine: false,
    ThisFlag: true,
  };
  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ["{ $.sourceIPAddress != 123.123.* }", true],
    ["{ $.sourceIPAddress = 111.111.* }", true],
    ['{ $.arrayKey[0] = "value" }', true],
    ['{ $.arrayKey[1] = "value" }', false],
    ["{ $.objectList[1].id = 2 }", true],
    ["{ $.objectList[1].id = 1 }", false],
    ["{ $.SomeObject IS NULL }", true],
    ["{ $.SomeOtherObject NOT EXISTS }", true],
    ["{ $.SomeObject NOT EXISTS }", false],
    ["{ $.ThisFlag IS TRUE }", true],
    ["{ $.cannotCombine IS FALSE }", true],
    ["{ $.ThisFlag IS FALSE }", false],
  ])("%s matches: %s", (pattern, expected) => expect(matches(pattern, event)).toBe(expected));

  const numbers = {
    latency: 50,
    refreshRate: 60,
    bandwidth: 80,
    responseTime: 4,
    errorCode: 400,
    number: [0.001],
  };
  it.each([
    ["{ $.bandwidth > 75 }", true],
    ["{ $.latency < 50 }", false],
    ["{ $.refreshRate >= 60 }", true],
    ["{ $.responseTime <= 5 }", true],
    ["{ $.errorCode = 400 }", true],
    ["{ $.errorCode != 500 }", true],
    ["{ $.number[0] = 1e-3 }", true],
    ["{ $.number[0] != 1e-3 }", false],
  ])("numeric %s matches: %s", (pattern, expected) => expect(matches(pattern, numbers)).toBe(expected));

  const compound = {
    user: { id: 1, email: "John.Stiles@example.com" },
    users: [
      { id: 2, email: "John.Doe@example.com" },
      { id: 3, email: "Jane.Doe@example.com" },
    ],
    actions: ["GET", "PUT", "DELETE"],
    coordinates: [
      [0, 1],
      [4, 5],
    ],
  };
  it.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    [
      '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }',
      true,
    ],
    [
      '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }',
      false,
    ],
    ["{ $.coordinates[1][0] = 4 }", true],
  ])("compound %s matches: %s", (pattern, expected) => expect(matches(pattern, compound)).toBe(expected));

  it("matches a regex value between percent signs", () => {
    expect(matches("{ $.eventType = %Update.*% }", event)).toBe(true);
    expect(matches("{ $.eventType = %^Delete% }", event)).toBe(false);
  });

  it("never matches a JSON pattern against text that is not JSON", () => {
    expect(matches('{ $.eventType = "UpdateTrail" }', "UpdateTrail happened")).toBe(false);
  });

  it("treats a comparison on a missing member as false, != included (only NOT EXISTS matches it)", () => {
    expect(matches('{ $.missing != "Yes" }', event)).toBe(false);
    expect(matches("{ $.missing NOT EXISTS }", event)).toBe(true);
  });
});

describe("term, phrase, regex and space-delimited patterns are recognised", () => {
  it.each([
    ["ERROR", "[ERROR 400] BAD REQUEST", true],
    ["ERROR", "[INFO 200] OK", false],
    ['"INTERNAL SERVER ERROR"', "[ERROR 500] INTERNAL SERVER ERROR", true],
    ["ERROR ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", true],
    ["ERROR ARGUMENTS", "[ERROR 400] BAD REQUEST", false],
    ["?ERROR ?WARN", "[WARN] disk almost full", true],
    ["?ERROR ?WARN", "[INFO] ok", false],
    ["ERROR -ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", false],
    ["ERROR -ARGUMENTS", "[ERROR 400] BAD REQUEST", true],
    ["%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", true],
    ["", "anything at all", true],
  ])("%s on %s: %s", (pattern, message, expected) => expect(matches(pattern, message)).toBe(expected));

  const log = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534';
  it.each([
    ["[ip, user, username, timestamp, request, status_code, bytes]", true],
    ["[ip, user, username, timestamp, request = *gif*, status_code = 4*, bytes]", true],
    ["[ip, user, username, timestamp, request, status_code = 200, bytes]", false],
    ["[..., status_code = 404, bytes > 1000]", true],
    ["[..., status_code = 404, bytes < 1000]", false],
    ["[ip, ..., status_code = 404 || status_code = 410, bytes]", true],
  ])("%s matches an Apache log line: %s", (pattern, expected) =>
    expect(matches(pattern, log)).toBe(expected),
  );

  it("parses the kinds apart", () => {
    expect(parseFilterPattern("[a, b]").kind).toBe("delimited");
    expect(parseFilterPattern("ERROR").kind).toBe("terms");
    expect(parseFilterPattern("%x%").kind).toBe("regex");
    expect(parseFilterPattern("{ $.a = 1 }").kind).toBe("json");
    expect(parseFilterPattern("   ").kind).toBe("all");
  });
});

describe("patterns the parser cannot read are errors, never matches", () => {
  it.each([
    "{ $.eventName = ConsoleLogin",
    "{ ($.eventName = ConsoleLogin }",
    "{ $.eventName ~ ConsoleLogin }",
    "{ eventName = ConsoleLogin }",
    "{ $.latency > fast }",
    '{ $.eventName = "ConsoleLogin }',
    "{ $.a IS MAYBE }",
    "{ $.a = 1 } trailing",
    "[a, b",
    "{ $.a[x] = 1 }",
  ])("%s", (pattern) => {
    expect(() => parseFilterPattern(pattern)).toThrow(FilterPatternError);
  });

  it("says where reading stopped", () => {
    expect(() => parseFilterPattern("{ $.eventName ~ x }")).toThrow(/at character 15/);
  });
});
