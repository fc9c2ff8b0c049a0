import type { ButtonHTMLAttributes } from 'react';

interface GuardedButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'onClick' | 'aria-disabled' | 'aria-describedby'> {
  /**
   * Set when the action cannot be taken here (a read-only connection): the id of the note on
   * screen that says why. The button stays (focusable, so the reason is read with it) but does nothing.
   */
  unavailableReasonId?: string | undefined;
  onClick: () => void;
}

/**
 * A button that may be unavailable for a reason on screen: aria-disabled rather than `disabled`, so
 * it keeps focus and its name, described by the reason, and its click is ignored.
 */
export function GuardedButton({ unavailableReasonId, onClick, ...props }: GuardedButtonProps) {
  const unavailable = unavailableReasonId !== undefined;
  return (
    <button
      type="button"
      {...props}
      aria-disabled={unavailable || undefined}
      aria-describedby={unavailableReasonId}
      onClick={() => {
        if (!unavailable) onClick();
      }}
    />
  );
}
