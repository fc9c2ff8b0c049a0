/**
 * Calls `send` at most once per `intervalMs`: the first call goes out at once, later ones within
 * the interval are folded into one trailing call with the newest value, so the last progress is
 * never lost. `flush()` sends a pending value now; `cancel()` drops it. `alreadySentAt`: when an
 * event that counts against the same rate went out just before (a job's start event).
 */
export function throttle<T>(send: (value: T) => void, intervalMs: number, alreadySentAt = -Infinity) {
  let lastSent = alreadySentAt;
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const fire = () => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    lastSent = Date.now();
    send(value);
  };

  return {
    push(value: T): void {
      pending = { value };
      const wait = lastSent + intervalMs - Date.now();
      if (wait <= 0) fire();
      else timer ??= setTimeout(fire, wait);
    },
    flush(): void {
      if (timer) clearTimeout(timer);
      fire();
    },
    cancel(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
