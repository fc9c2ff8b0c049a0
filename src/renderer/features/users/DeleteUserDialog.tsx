import { useEffect, useRef, useState } from 'react';
import type { User, UserDetail } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { countOf } from '../../lib/format/count';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';

export interface DeletedUser {
  email: string;
  productsUnowned: number;
}

interface DeleteUserDialogProps {
  user: User;
  onDeleted: (deleted: DeletedUser) => void;
  onCancel: () => void;
  /** The user was already gone when the dialog opened: the list behind it is stale. */
  onStale: () => void;
}

/**
 * Asks before deleting, and first fetches the user afresh: the confirmation must say how many
 * products will lose their owner (the foreign key is ON DELETE SET NULL, so nothing stops it).
 */
export function DeleteUserDialog({ user, onDeleted, onCancel, onStale }: DeleteUserDialogProps) {
  const [detail, setDetail] = useState<UserDetail | null>(null);
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // A callback, not an input: the check runs once per user shown, whatever the parent passes.
  const onStaleRef = useRef(onStale);
  useEffect(() => {
    onStaleRef.current = onStale;
  });

  useEffect(() => {
    let current = true;
    api.users
      .get({ id: user.id })
      .then((found) => {
        if (current) setDetail(found);
      })
      .catch((error: unknown) => {
        if (!current) return;
        const apiError = toApiError(error);
        setCheckError(apiError);
        if (apiError.code === 'NOT_FOUND') onStaleRef.current();
      });
    return () => {
      current = false;
    };
  }, [user.id]);

  const gone = checkError?.code === 'NOT_FOUND';
  const checking = detail === null && checkError === null;
  const shown = detail ?? user;

  async function confirm(): Promise<void> {
    if (deleting || checking || gone) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      const result = await api.users.delete({ id: user.id });
      onDeleted({ email: shown.email, productsUnowned: result.productsUnowned });
    } catch (error) {
      setDeleting(false);
      const apiError = toApiError(error);
      if (apiError.code === 'NOT_FOUND') {
        // Deleted meanwhile (another window, another tool): nothing left to do here; the list
        // behind the dialog is refreshed and Delete is no longer offered.
        setCheckError(apiError);
        onStaleRef.current();
      } else {
        setDeleteError(apiError.message);
      }
    }
  }

  const unavailable = deleting || checking || gone;
  return (
    // Focus starts on Cancel: a stray Enter must not delete.
    <Modal title="Delete user" onDismiss={onCancel} busy={deleting} initialFocusRef={cancelRef}>
      <div className="modal-body">
        {gone ? (
          <p>This user no longer exists; it may have been deleted elsewhere.</p>
        ) : (
          <p>
            Delete user <strong>{shown.email}</strong> ({shown.name})? This cannot be undone.
          </p>
        )}
        {checking && <p className="muted">Checking which products this user owns…</p>}
        {detail && detail.productCount > 0 && (
          <p className="warning-text">{countOf(detail.productCount, 'product')} owned by this user will be left without an owner.</p>
        )}
        {checkError && !gone && <ErrorAlert message={`Could not check the products this user owns: ${checkError.message}`} />}
        {deleteError && <ErrorAlert message={deleteError} />}
      </div>
      <ModalActions
        busy={deleting}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{ label: 'Delete', tone: 'danger', unavailable, onClick: () => void confirm() }}
      />
    </Modal>
  );
}
