import { appendFileSync } from "node:fs";
import { StoreLock } from "../../src/schedule/lock.js";
import { FsStore } from "../../src/store/fs.js";

/**
 * Child process for the cross-process lock test: take the lock `iterations` times, and inside each
 * critical section append "enter <id>" and "exit <id>" to a shared log (O_APPEND writes are atomic).
 */
const [dir, logFile, iterationsArg, id] = process.argv.slice(2) as [string, string, string, string];
const iterations = Number(iterationsArg);
const lock = new StoreLock(new FsStore(dir), "collector-shared", { ttlMs: 60_000, owner: id });
const deadline = Date.now() + 90_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let done = 0;
while (done < iterations) {
  if (Date.now() > deadline) {
    console.error(`worker ${id}: gave up after ${done} of ${iterations}`);
    process.exit(1);
  }
  const result = await lock.acquire({ worker: id });
  if (!result.acquired) {
    await pause(1 + Math.random() * 4);
    continue;
  }
  appendFileSync(logFile, `enter ${id}\n`);
  await pause(Math.random() * 4);
  appendFileSync(logFile, `exit ${id}\n`);
  await result.lease.release({ worker: id });
  done++;
}
