const grouped = new Intl.NumberFormat('en-US');
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * "812 bytes", "4.2 kB", "12.3 MB", "1.4 GB" (binary steps). One formatter for the window and the
 * main process, so a job's summary and the history say the same size for the same file.
 */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${grouped.format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['kB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${oneDecimal.format(value)} ${units[unit] ?? 'TB'}`;
}
