// At most N file operations at a time: a manifest can name hundreds of files, and opening them all at
// once runs into the file-descriptor limit and thrashes the disk.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A woken task takes over the slot of the one that finished, so `active` only counts real slots.
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const wake = waiting.shift();
      if (wake === undefined) active--;
      else wake();
    }
  };
}
