import fs from 'node:fs';
import path from 'node:path';

/**
 * Guards an embedded data directory. PGlite has no postmaster of its own that refuses a second opener, and after
 * an unclean exit it leaves `postmaster.pid` behind, which makes the next open hang forever. Our own lock file
 * records the PID of the process that holds the directory: a live holder means "refuse"; a dead one means the
 * last run crashed, so its stale `postmaster.pid` can be removed safely.
 */
export class DataDirBusyError extends Error {}

export interface DataDirLock {
  recoveredFromCrash: boolean;
  release(): void;
}

const LOCK_NAME = 'rongjian.lock';

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_NAME);
  let recoveredFromCrash = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
      if (holder !== process.pid && isAlive(holder)) {
        throw new DataDirBusyError(
          `数据目录 ${dataDir} 正被另一个融监进程（PID ${holder}）使用，拒绝重复打开。请先停止该进程，或用 RONGJIAN_DATA_DIR 指定其他目录。`,
        );
      }
      // The holder is gone without releasing: the previous run crashed.
      fs.rmSync(lockPath, { force: true });
      recoveredFromCrash = true;
    }
  }
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    fs.rmSync(pidFile, { force: true });
    recoveredFromCrash = true;
  }
  let released = false;
  return {
    recoveredFromCrash,
    release() {
      if (released) return;
      released = true;
      try {
        const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
        if (holder === process.pid) fs.rmSync(lockPath, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
