interface ProgressBarProps {
  /** The bar's accessible name. */
  label: string;
  done: number;
  /** Null while unknown: the bar is indeterminate. */
  total: number | null;
}

/** A native <progress>: role=progressbar with aria-valuenow/max for free, indeterminate without a total. */
export function ProgressBar({ label, done, total }: ProgressBarProps) {
  if (total === null || total <= 0) return <progress className="progress" aria-label={label} />;
  return <progress className="progress" aria-label={label} value={Math.min(done, total)} max={total} />;
}
