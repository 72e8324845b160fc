import { describe, expect, it } from "vitest";
import {
  mostSevere,
  ownStatus,
  type RollupCheck,
  type RollupNode,
  rollUp,
} from "../../src/evaluate/rollup.js";
import type { Status } from "../../src/evaluate/types.js";

/** A small seeded generator (mulberry32), so a failing hierarchy can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = "2026-07-0";
const STATUSES: Status[] = ["PASS", "FAIL", "ERROR", "NOT_APPLICABLE"];

function randomCheck(next: () => number, id: string): RollupCheck {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const findings = Array.from({ length: Math.floor(next() * 3) }, (_, i) => {
    // Mostly contiguous PASS intervals; sometimes a hole or a non-PASS stretch.
    const n = 1 + Math.floor(next() * 3);
    const intervals = Array.from({ length: n }, (_, k) => ({
      start: `${DAY}${k + 1}T00:00:00Z`,
      end: `${DAY}${k + 2}T00:00:00Z`,
      status: next() < 0.8 ? ("PASS" as Status) : pick(STATUSES),
      reason: `r${i}.${k}`,
    }));
    if (next() < 0.1 && intervals.length > 1) intervals[1]!.start = `${DAY}${3}T12:00:00Z`; // a hole
    const status = mostSevere(intervals.map((x) => x.status)) ?? "ERROR";
    return { resource: `res-${i}`, status, reason: `finding ${i} ${status}`, intervals };
  });
  const declared =
    findings.length === 0
      ? pick(["NOT_APPLICABLE", "ERROR", "PASS"] as Status[]) // PASS with nothing behind it
      : (mostSevere(findings.map((f) => f.status)) ?? "ERROR");
  return { id, status: declared, supporting: next() < 0.3, findings };
}

/** A random hierarchy: each node's parent is an earlier node (or none), with random kinds and checks. */
function randomHierarchy(seed: number): RollupNode[] {
  const next = rng(seed);
  const size = 1 + Math.floor(next() * 14);
  const nodes: RollupNode[] = [];
  for (let i = 0; i < size; i++) {
    const parent = i > 0 && next() < 0.85 ? nodes[Math.floor(next() * i)]!.id : undefined;
    const kind = (["automated", "partly-manual", "manual", "heading"] as const)[Math.floor(next() * 4)]!;
    const checks =
      kind === "automated" || kind === "partly-manual"
        ? Array.from({ length: 1 + Math.floor(next() * 3) }, (_, c) => randomCheck(next, `check_${i}_${c}`))
        : [];
    nodes.push({
      id: `n${i}`,
      ...(parent ? { parent } : {}),
      kind,
      checks,
      ...(next() < 0.08 ? { notApplicable: "service providers only" } : {}),
    });
  }
  // Shuffle: the rule must not depend on catalog order.
  for (let i = nodes.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [nodes[i], nodes[j]] = [nodes[j]!, nodes[i]!];
  }
  return nodes;
}

const ORDER: Status[] = ["NOT_APPLICABLE", "PASS", "MANUAL", "ERROR", "FAIL"];

describe("the roll-up rule over random hierarchies (1,000 seeded)", () => {
  const seeds = Array.from({ length: 1000 }, (_, i) => i + 1);

  it("derives each parent from its own status and its children by the documented order", () => {
    for (const seed of seeds) {
      const nodes = randomHierarchy(seed);
      const rolled = rollUp(nodes);
      const ids = new Set(nodes.map((n) => n.id));
      const under = (n: RollupNode) => nodes.filter((c) => c.parent === n.id);
      const outOfScope = (n: RollupNode): boolean =>
        Boolean(n.notApplicable) ||
        (n.parent !== undefined && ids.has(n.parent) && outOfScope(nodes.find((p) => p.id === n.parent)!));
      for (const node of nodes) {
        const got = rolled.get(node.id)!;
        const kids = under(node).map((c) => rolled.get(c.id)!.status);
        const own = ownStatus(outOfScope(node) ? { ...node, notApplicable: "x" } : node)?.status;
        const candidates = [...(own ? [own] : []), ...kids];
        const expected =
          candidates.length === 0
            ? "MANUAL"
            : candidates.reduce((w, s) => (ORDER.indexOf(s) > ORDER.indexOf(w) ? s : w));
        expect(got.status, `seed ${seed} node ${node.id}`).toBe(expected);
        expect(got.reason.length, `seed ${seed} ${node.id} has a reason`).toBeGreaterThan(0);
      }
    }
  });

  it("never has a FAIL parent with zero failing children and no failing check of its own", () => {
    for (const seed of seeds) {
      const nodes = randomHierarchy(seed);
      const rolled = rollUp(nodes);
      for (const node of nodes) {
        if (rolled.get(node.id)!.status !== "FAIL") continue;
        const failingChild = nodes.some((c) => c.parent === node.id && rolled.get(c.id)!.status === "FAIL");
        const failingCheck = node.checks.some((c) => c.status === "FAIL");
        expect(failingChild || failingCheck, `seed ${seed} node ${node.id}`).toBe(true);
        if (!failingCheck) {
          const kid = nodes.find((c) => c.parent === node.id && rolled.get(c.id)!.status === "FAIL")!;
          expect(rolled.get(node.id)!.reason, "the parent names the child that carries it").toContain(kid.id);
        }
      }
    }
  });

  it("a failing child always fails its parent, unless the parent does not apply", () => {
    for (const seed of seeds) {
      const nodes = randomHierarchy(seed);
      const rolled = rollUp(nodes);
      for (const node of nodes) {
        if (!node.parent || rolled.get(node.id)!.status !== "FAIL") continue;
        const parent = rolled.get(node.parent);
        if (parent) expect(parent.status, `seed ${seed}: ${node.id} -> ${node.parent}`).toBe("FAIL");
      }
    }
  });

  it("never passes without every member PASS for every second, or on supporting checks alone", () => {
    for (const seed of seeds) {
      const nodes = randomHierarchy(seed);
      const rolled = rollUp(nodes);
      for (const node of nodes) {
        if (rolled.get(node.id)!.status !== "PASS") continue;
        expect(node.kind === "manual" || node.kind === "partly-manual", `seed ${seed} ${node.id}`).toBe(
          false,
        );
        const applicable = node.checks.filter((c) => c.status !== "NOT_APPLICABLE");
        if (applicable.length > 0) {
          expect(
            applicable.some((c) => !c.supporting),
            `seed ${seed} ${node.id}: a sufficient check`,
          ).toBe(true);
        }
        for (const check of applicable) {
          const members = check.findings.filter((f) => f.status !== "NOT_APPLICABLE");
          expect(members.length, `seed ${seed} ${node.id} ${check.id}`).toBeGreaterThan(0);
          for (const f of members) {
            expect(f.intervals.every((i) => i.status === "PASS" || i.status === "NOT_APPLICABLE")).toBe(true);
            for (let i = 1; i < f.intervals.length; i++) {
              expect(f.intervals[i]!.start, `seed ${seed}: no hole`).toBe(f.intervals[i - 1]!.end);
            }
          }
        }
        for (const child of nodes.filter((c) => c.parent === node.id)) {
          expect(["PASS", "NOT_APPLICABLE"]).toContain(rolled.get(child.id)!.status);
        }
      }
    }
  });
});

describe("the roll-up on the cases the review named", () => {
  const passing = (id: string, supporting = false): RollupCheck => ({
    id,
    status: "PASS",
    supporting,
    findings: [
      {
        resource: "r",
        status: "PASS",
        intervals: [{ start: "2026-07-01T00:00:00Z", end: "2026-10-01T00:00:00Z", status: "PASS" }],
      },
    ],
  });
  const failing: RollupCheck = {
    id: "alarms",
    status: "FAIL",
    findings: [
      {
        resource: "r",
        status: "FAIL",
        reason: "alarm actions disabled",
        intervals: [{ start: "2026-08-27T08:15:33Z", end: "2026-10-01T00:00:00Z", status: "FAIL" }],
      },
    ],
  };

  it("a manual parent follows its failing child (10.4.1 follows 10.4.1.1), with the child's reason", () => {
    const rolled = rollUp([
      { id: "10.4", kind: "heading", checks: [] },
      { id: "10.4.1", parent: "10.4", kind: "manual", checks: [], manualReason: "nothing attached" },
      { id: "10.4.1.1", parent: "10.4.1", kind: "automated", checks: [failing] },
    ]);
    expect(rolled.get("10.4.1")).toMatchObject({ status: "FAIL", own: "MANUAL" });
    expect(rolled.get("10.4.1")!.reason).toMatch(
      /^FAIL through 10\.4\.1\.1 \(10\.4\.1\.1: .*alarm actions disabled/,
    );
    expect(rolled.get("10.4")!.status).toBe("FAIL");
    expect(rolled.get("10.4")!.reason).toContain(
      "(10.4.1 > 10.4.1.1: 1 check of 1 FAIL: alarms (alarm actions disabled))",
    );
  });

  it("a supporting check alone never passes a requirement (11.5.1 on a GuardDuty rule)", () => {
    const node: RollupNode = {
      id: "11.5.1",
      kind: "partly-manual",
      checks: [passing("guardduty", true)],
      manualReason: "attach IDS evidence",
    };
    expect(ownStatus(node)).toMatchObject({ status: "MANUAL" });
    expect(ownStatus(node)!.reason).toContain("supporting, not sufficient");
    expect(ownStatus({ ...node, kind: "automated" })!.status).toBe("MANUAL");
    expect(
      ownStatus({ ...node, kind: "automated", checks: [passing("guardduty", true), passing("x")] })!.status,
    ).toBe("PASS");
  });

  it("a check that claims PASS without findings, or with a hole in a finding, is ERROR", () => {
    expect(
      ownStatus({ id: "x", kind: "automated", checks: [{ id: "c", status: "PASS", findings: [] }] }),
    ).toMatchObject({ status: "ERROR" });
    const holed = passing("c");
    holed.findings[0]!.intervals = [
      { start: "2026-07-01T00:00:00Z", end: "2026-08-01T00:00:00Z", status: "PASS" },
      { start: "2026-08-02T00:00:00Z", end: "2026-10-01T00:00:00Z", status: "PASS" },
    ];
    expect(ownStatus({ id: "x", kind: "automated", checks: [holed] })!.reason).toContain(
      "lacks PASS evidence",
    );
  });

  it("an empty population is NOT_APPLICABLE with its reason, and a heading above PASS and MANUAL is MANUAL", () => {
    const empty: RollupCheck = {
      id: "threat",
      status: "NOT_APPLICABLE",
      findings: [
        {
          status: "NOT_APPLICABLE",
          reason: "population empty: no user pool in the role customer",
          intervals: [],
        },
      ],
    };
    const rolled = rollUp([
      { id: "8.3", kind: "heading", checks: [] },
      { id: "8.3.10.1", parent: "8.3", kind: "automated", checks: [empty] },
      { id: "8.3.6", parent: "8.3", kind: "automated", checks: [passing("len")] },
      { id: "8.3.8", parent: "8.3", kind: "manual", checks: [] },
    ]);
    expect(rolled.get("8.3.10.1")).toMatchObject({ status: "NOT_APPLICABLE" });
    expect(rolled.get("8.3.10.1")!.reason).toContain("role customer");
    expect(rolled.get("8.3")!.status).toBe("MANUAL");
  });

  it("a requirement that does not apply takes its children with it", () => {
    const rolled = rollUp([
      { id: "8.3.10", kind: "manual", checks: [], notApplicable: "service providers only" },
      { id: "8.3.10.1", parent: "8.3.10", kind: "automated", checks: [failing] },
    ]);
    expect(rolled.get("8.3.10")!.status).toBe("NOT_APPLICABLE");
    expect(rolled.get("8.3.10.1")).toMatchObject({ status: "NOT_APPLICABLE" });
    expect(rolled.get("8.3.10.1")!.reason).toContain("under 8.3.10");
  });
});
