import { readFileSync } from "node:fs";

const g = globalThis as unknown as { gc: () => void };
const mb = (l: string) => {
  g.gc();
  console.log(l, "heap", Math.round(process.memoryUsage().heapUsed / 1e6));
};
mb("start");
let findings = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
mb("parsed");
const refs = new Map<string, unknown>();
const strs = new Map<string, string>();
const s = (x: string) => {
  let v = strs.get(x);
  if (v === undefined) {
    strs.set(x, x);
    v = x;
  }
  return v;
};
const intern = (list: Array<{ key: string }>) =>
  list.map((r) => {
    let v = refs.get(r.key);
    if (!v) {
      refs.set(r.key, r);
      v = r;
    }
    return v;
  });
for (const r of findings.requirements)
  for (const c of r.checks)
    for (const f of c.findings) {
      f.evidence = intern(f.evidence);
      for (const i of f.intervals) {
        i.evidence = intern(i.evidence);
      }
    }
mb("refs interned");
for (const r of findings.requirements)
  for (const c of r.checks)
    for (const f of c.findings) {
      f.account = s(f.account);
      f.region = s(f.region);
      f.resource = s(f.resource);
      f.status = s(f.status);
      f.reason = s(f.reason);
      for (const i of f.intervals) {
        i.start = s(i.start);
        i.end = s(i.end);
        i.status = s(i.status);
        i.reason = s(i.reason);
      }
    }
mb("strings interned");
for (const e of findings.evidence) {
  e.key = (refs.get(e.key) as { key: string })?.key ?? e.key;
  e.sha256 = (refs.get(e.key) as { sha256: string })?.sha256 ?? e.sha256;
  e.collector = s(e.collector);
  e.account = s(e.account);
  e.region = s(e.region);
}
mb("table interned");
findings = undefined;
mb("dropped");
