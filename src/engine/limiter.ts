/** A small FIFO concurrency limiter: one per run, shared by every request of that run. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Requests currently holding a slot (for tests and progress displays). */
  readonly active: number;
}

export function createLimiter(concurrency: number): Limiter {
  const max = Math.max(1, Math.floor(concurrency) || 1);
  let active = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    active--;
    const next = queue.shift();
    if (next) {
      next();
    }
  };

  return {
    get active() {
      return active;
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          active++;
          let settled: Promise<T>;
          try {
            settled = task();
          } catch (e) {
            settled = Promise.reject(e);
          }
          settled.then(
            (v) => {
              release();
              resolve(v);
            },
            (e) => {
              release();
              reject(e);
            }
          );
        };
        if (active < max) {
          start();
        } else {
          queue.push(start);
        }
      });
    },
  };
}
