import { sha256Hex } from "../canonical.js";
import { parseSealKey, type RunManifest, SEALS_PREFIX, type Seal, sealKey } from "../ledger-format.js";
import { sealShapeError } from "../ledger-shapes.js";
import { merkleRoot } from "../merkle.js";
import { checkSignature } from "./signatures.js";
import { parseJson, type VerifyState } from "./state.js";

/**
 * The seal chain: seals numbered without gaps, each signed, chained to the one before by hash,
 * dated in order, with a Merkle root over the manifests it lists (each manifest sealed once).
 */
export async function checkSeals(state: VerifyState): Promise<void> {
  let prev: { seq: number; key: string; sha256: string; sealedAt: string; flagged: boolean } | undefined;
  for await (const info of state.store.list(SEALS_PREFIX)) {
    const seq = parseSealKey(info.key);
    if (seq === undefined) {
      state.problem("unsigned", info.key, `unexpected object ${info.key} among the seals`);
      continue;
    }
    const bytes = await state.readLedgerObject(info.key);
    const sha256 = sha256Hex(bytes);
    state.seals.set(info.key, { seq, sha256 });
    state.sealsBySeq.set(seq, sha256);
    state.summary.seals++;
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (seq > expectedSeq) {
      const missing =
        seq - expectedSeq === 1 ? sealKey(expectedSeq) : `${sealKey(expectedSeq)}..${sealKey(seq - 1)}`;
      state.problem(
        "missing",
        sealKey(expectedSeq),
        `seal ${missing} is missing: the chain jumps from ${prev?.key ?? "its start"} to ${info.key}`,
      );
      for (let s = expectedSeq; s < seq; s++) state.reportedMissingSeals.add(sealKey(s));
    }
    const seal = parseJson<Seal>(bytes);
    const shapeError = seal ? sealShapeError(seal) : "it is not valid JSON";
    let flagged = true;
    if (!seal || shapeError) {
      state.problem("altered", info.key, `seal ${info.key} is damaged: ${shapeError}`);
    } else if (seal.seq !== seq) {
      state.problem(
        "reordered",
        info.key,
        `${info.key} holds seal #${seal.seq}, not #${seq}: seals were reordered`,
      );
    } else {
      flagged = !checkSignature(state, seal, info.key, "seal", bytes, seal.sealedAt);
      const expectedPrev = prev ? { key: prev.key, sha256: prev.sha256 } : null;
      const previous = seal.previous;
      if (previous && state.reportedMissingSeals.has(previous.key)) {
        // Already reported as a gap.
      } else if (!sameRef(previous, expectedPrev) && !prev?.flagged) {
        const said = previous ? `${previous.key} (sha256 ${previous.sha256})` : "no previous seal";
        const is = expectedPrev ? `${expectedPrev.key} (sha256 ${expectedPrev.sha256})` : "no previous seal";
        state.problem(
          "chain-broken",
          info.key,
          `seal ${info.key} chains to ${said}, but the chain has ${is}`,
        );
        flagged = true;
      }
      if (prev && seal.sealedAt < prev.sealedAt) {
        state.problem(
          "reordered",
          info.key,
          `seal ${info.key} is dated ${seal.sealedAt}, before ${prev.key} (${prev.sealedAt})`,
        );
      }
      if (merkleRoot(seal.manifests.map((m) => m.sha256)) !== seal.merkleRoot) {
        state.problem("altered", info.key, `seal ${info.key}: Merkle root does not match its manifest list`);
      }
      checkSealedManifests(state, info.key, seal, seq);
      state.lastSeal = { seq, key: info.key, sealedAt: seal.sealedAt };
      state.head = { seq, key: info.key, sha256, sealedAt: seal.sealedAt };
    }
    prev = { seq, key: info.key, sha256, sealedAt: seal?.sealedAt ?? prev?.sealedAt ?? "", flagged };
    state.progress();
  }
}

/** A seal lists its manifests in key order, each sealed once in the whole chain. */
function checkSealedManifests(state: VerifyState, key: string, seal: Seal, seq: number): void {
  seal.manifests.forEach((m, i) => {
    if (i > 0 && seal.manifests[i - 1]!.key >= m.key) {
      state.problem("reordered", key, `seal ${key} lists ${m.key} out of key order`);
    }
    const earlier = state.sealedManifests.get(m.key);
    if (earlier)
      state.problem("reordered", key, `seal ${key} seals ${m.key} again (already in ${earlier.seal})`);
    else state.sealedManifests.set(m.key, { sha256: m.sha256, seal: key, seq });
  });
}

/** Each expected head must be in the chain, with the same hash: a shorter or other chain is a rollback. */
export function checkExpectedHeads(state: VerifyState): void {
  const headSeq = state.head?.seq ?? 0;
  for (const expected of state.options.expectHeads ?? []) {
    const actual = state.sealsBySeq.get(expected.seq);
    if (actual === undefined) {
      const missing =
        expected.seq > headSeq
          ? `seal #${expected.seq} (${sealKey(expected.seq)}) is missing: the chain ends at #${headSeq}${expected.seq - headSeq > 1 ? `, seals #${headSeq + 1}..#${expected.seq} are gone` : ""}`
          : `seal #${expected.seq} (${sealKey(expected.seq)}) is missing`;
      state.problem("rollback", sealKey(expected.seq), `${expected.source}: ${missing} (rolled back?)`);
    } else if (expected.sha256 !== undefined && actual !== expected.sha256) {
      state.problem(
        "rollback",
        sealKey(expected.seq),
        `${expected.source}: seal #${expected.seq} has sha256 ${actual}, expected ${expected.sha256}: the chain was replaced`,
      );
    }
  }
}

/**
 * The seal a manifest says was newest when it was written must exist, unchanged, and predate its
 * own seal: deleting the chain's end is seen from every manifest written after it.
 */
export function checkPreviousSeal(
  state: VerifyState,
  key: string,
  manifest: RunManifest,
  sealedInSeq: number | undefined,
): void {
  const ref = manifest.previousSeal;
  if (!ref) return;
  const seal = state.seals.get(ref.key);
  if (!seal) {
    if (state.reportedMissingSeals.has(ref.key)) return;
    state.reportedMissingSeals.add(ref.key);
    state.problem(
      "missing",
      ref.key,
      `seal ${ref.key} is missing: manifest ${key} was written after it (the chain was truncated)`,
    );
  } else if (seal.sha256 !== ref.sha256) {
    if (state.reportedMissingSeals.has(ref.key)) return;
    state.reportedMissingSeals.add(ref.key);
    state.problem(
      "chain-broken",
      ref.key,
      `seal ${ref.key} differs from the one manifest ${key} saw when it was written`,
    );
  } else if (sealedInSeq !== undefined && sealedInSeq <= seal.seq) {
    state.problem(
      "reordered",
      key,
      `manifest ${key} was written after ${ref.key} but is sealed in seal #${sealedInSeq}`,
    );
  }
}

function sameRef(
  a: { key: string; sha256: string } | null,
  b: { key: string; sha256: string } | null,
): boolean {
  return a === b || (a !== null && b !== null && a.key === b.key && a.sha256 === b.sha256);
}
