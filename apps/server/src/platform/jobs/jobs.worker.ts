/**
 * The polling loop of a worker process: fire due schedules about once a second, claim and run jobs, sleep when
 * the queue is empty, and keep the leases of running jobs alive. `stop()` lets the current batch finish and
 * leaves no timer behind.
 */
export interface PollingLoop {
  stop(): Promise<void>;
}

export interface PollingSteps {
  pollMs: number;
  /** Enqueue due schedule firings. */
  tick(): Promise<unknown>;
  /** Claim and run one batch; resolves with how many jobs ran. */
  claimAndRun(): Promise<number>;
  /** Extend the leases of the jobs being run. */
  heartbeat(): Promise<void>;
  heartbeatMs: number;
}

const SCHEDULE_TICK_MS = 1000;
/** After an error (database restarting, network) wait at least this long, so the log is not flooded. */
const ERROR_PAUSE_MS = 5000;

export function startPolling(steps: PollingSteps): PollingLoop {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let lastTick = 0;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const heartbeat = setInterval(() => void steps.heartbeat().catch(logError), steps.heartbeatMs);
  heartbeat.unref();

  const loop = (async () => {
    while (!stopping) {
      let ran = 0;
      let failed = false;
      try {
        if (Date.now() - lastTick >= SCHEDULE_TICK_MS) {
          lastTick = Date.now();
          await steps.tick();
        }
        ran = await steps.claimAndRun();
      } catch (err) {
        failed = true;
        logError(err);
      }
      if (stopping) break;
      if (failed) await sleep(Math.max(steps.pollMs, ERROR_PAUSE_MS));
      else if (!ran) await sleep(steps.pollMs);
    }
  })();

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      clearInterval(heartbeat);
    },
  };
}

function logError(err: unknown): void {
  console.error('后台任务执行器出错：', err);
}
