/** The signals that mean "stop now, cleanly": Ctrl+C, a service manager, a closed terminal. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ShutdownOptions {
  say?: (line: string) => void;
  /** 0 for the app (Ctrl+C is how it is meant to stop); 130 for a command cut short. */
  exitCode?: number;
}

/**
 * Runs `cleanup` once on Ctrl+C / SIGTERM / SIGHUP, then exits. Register it before starting
 * anything, so a Ctrl+C during start-up still stops what was started. A second Ctrl+C while
 * cleaning up exits at once, for an admin who really wants out.
 */
export function onShutdownSignal(cleanup: () => Promise<void>, options: ShutdownOptions = {}): void {
  const { say = console.log, exitCode = 0 } = options;
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    say(`Stopping Simple DB (${signal})…`);
    cleanup().then(
      () => process.exit(exitCode),
      (error: Error) => {
        console.error(`Simple DB did not stop cleanly: ${error.message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handler);
}
