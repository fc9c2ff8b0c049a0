import type { ConnectionTestResult, Job, TestStep } from '../../../shared/contract';
import { countOf } from '../../lib/format/count';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { testResultOf } from './connectionTest';

/** Where a test is: not started, running (its job id once known), or ended. */
export type TestState =
  | { kind: 'idle' }
  | { kind: 'running'; jobId: string | null; steps: TestStep[] }
  | { kind: 'ended'; job: Job; steps: TestStep[] }
  | { kind: 'refused'; message: string };

const STEP_STATE_WORDS: Record<TestStep['state'], string> = { running: 'In progress', ok: 'Passed', failed: 'Failed', skipped: 'Skipped' };
const STEP_ICONS: Record<TestStep['state'], string> = { running: '…', ok: '✓', failed: '✗', skipped: '–' };

/** "0.3 ms", "12 ms": a fast local server is not "0 ms". */
export function latencyText(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** Servers report "16.2" or a whole "PostgreSQL 16.2 on x86_64…" banner; show one form. */
function versionText(version: string): string {
  const trimmed = version.trim();
  return /^postgresql/i.test(trimmed) ? trimmed : `PostgreSQL ${trimmed}`;
}

function migrationsText(result: ConnectionTestResult): string {
  const state = result.migrations;
  if (!state) return 'Not a Simple DB schema yet';
  const applied = countOf(state.applied.length, 'migration');
  return state.pending.length === 0 ? `${applied} applied, none pending` : `${applied} applied, ${state.pending.length} pending`;
}

/** One sentence for the status region: what the test is doing, or how it ended. */
function statusText(test: TestState): string {
  if (test.kind === 'running') {
    const step = test.steps.at(-1);
    return step ? `Testing: ${step.label}…` : 'Testing the connection…';
  }
  if (test.kind === 'ended') {
    if (test.job.state === 'succeeded') {
      const result = testResultOf(test.job);
      return result ? `Connection works (${latencyText(result.latencyMs)}).` : 'Connection works.';
    }
    if (test.job.state === 'cancelled') return 'Test cancelled.';
    const failed = test.steps.find((step) => step.state === 'failed');
    return failed ? `The test failed at: ${failed.label}.` : 'The test failed.';
  }
  if (test.kind === 'refused') return 'The test could not start.';
  return '';
}

interface TestPanelProps {
  test: TestState;
  /** A line under the outcome, e.g. what to do about a database that does not exist. */
  note?: string | null;
  /** The failure is already said at its field (and focused there): not said again here. */
  errorAtField?: boolean;
}

/** The test's checklist as it happens, then what it found: server version, latency, encryption, schema. */
export function TestPanel({ test, note, errorAtField = false }: TestPanelProps) {
  // The section and its status line are always in the page, so what the test says is announced from its first word.
  const idle = test.kind === 'idle';
  const steps = test.kind === 'idle' || test.kind === 'refused' ? [] : test.steps;
  const result = test.kind === 'ended' && test.job.state === 'succeeded' ? testResultOf(test.job) : null;
  return (
    <section className={idle ? 'test-panel test-panel-idle' : 'test-panel'} aria-labelledby={idle ? undefined : 'conn-test-heading'}>
      {!idle && (
        <h3 id="conn-test-heading" className="subsection-title">
          Connection test
        </h3>
      )}
      {steps.length > 0 && (
        <ol className="test-steps" aria-label="Test steps">
          {steps.map((step, index) => (
            <li key={`${step.id}-${index}`} className={`test-step test-step-${step.state}`}>
              <span className="test-step-icon" aria-hidden="true">
                {STEP_ICONS[step.state]}
              </span>
              <span>
                <span className="visually-hidden">{STEP_STATE_WORDS[step.state]}: </span>
                {step.label}
                {step.detail && <span className="test-step-detail"> — {step.detail}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
      <p role="status" className={test.kind === 'ended' && test.job.state === 'succeeded' ? 'test-status test-ok' : 'test-status'}>
        {statusText(test)}
      </p>
      {result && (
        <dl className="details" aria-label="Test result">
          <dt>Server</dt>
          <dd>{versionText(result.serverVersion)}</dd>
          <dt>Latency</dt>
          <dd>{latencyText(result.latencyMs)}</dd>
          <dt>Encryption</dt>
          <dd>{result.ssl ? `${result.ssl.protocol}, ${result.ssl.cipher}` : 'Not encrypted'}</dd>
          <dt>Simple DB schema</dt>
          <dd>{migrationsText(result)}</dd>
        </dl>
      )}
      {test.kind === 'ended' && test.job.state === 'failed' && !errorAtField && (
        <ErrorAlert message={test.job.error?.message ?? 'No reason given.'} />
      )}
      {/* Said (and announced) at its field, which may be scrolled away: the reason is here to read too. */}
      {test.kind === 'ended' && test.job.state === 'failed' && errorAtField && test.job.error && (
        <p className="test-reason">
          <strong>Why:</strong> {test.job.error.message}
        </p>
      )}
      {test.kind === 'refused' && !errorAtField && <ErrorAlert message={test.message} />}
      {note && <p className="muted">{note}</p>}
    </section>
  );
}
