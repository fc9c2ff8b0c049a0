/**
 * Runs `cleanup` once on Ctrl+C / SIGTERM / SIGHUP, then exits. A second Ctrl+C while cleaning up
 * exits at once, for an admin who really wants out.
 */
export function onShutdownSignal(cleanup: () => Promise<void>, say: (line: string) => void = console.log): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    say(`Stopping Simple DB (${signal})…`);
    cleanup().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`Simple DB did not stop cleanly: ${error.message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handler);
}
