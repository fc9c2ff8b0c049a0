import { useId, useState } from 'react';

interface CommandLineProps {
  label: string;
  /** The command as it will run, password masked by the backend. */
  text: string;
  /** While a fresher one is on its way: dimmed, and Copy waits. */
  stale?: boolean;
}

/**
 * A command line to read, select or copy (to run it by hand, or keep it in a runbook): read-only,
 * monospace, and focusable so a keyboard user can scroll a long one.
 */
export function CommandLine({ label, text, stale = false }: CommandLineProps) {
  const labelId = useId();
  // "Copied" belongs to the text that was copied: a new command line is not copied yet.
  const [lastCopy, setLastCopy] = useState<{ text: string; outcome: 'copied' | 'failed' } | null>(null);
  const copied = lastCopy?.text === text ? lastCopy.outcome : null;

  async function copy(): Promise<void> {
    if (stale) return;
    try {
      await navigator.clipboard.writeText(text);
      setLastCopy({ text, outcome: 'copied' });
    } catch {
      setLastCopy({ text, outcome: 'failed' });
    }
  }

  return (
    <div className="command-line-field">
      <div className="command-line-header">
        <span id={labelId} className="field-label">
          {label}
        </span>
        <button type="button" className="button button-small" aria-disabled={stale || undefined} onClick={() => void copy()}>
          Copy
        </button>
        <span role="status" className={copied === 'failed' ? 'error-text' : 'muted'}>
          {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Could not copy: select the text and copy it yourself.' : ''}
        </span>
      </div>
      <pre className={stale ? 'command-line command-line-stale' : 'command-line'} aria-labelledby={labelId} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
