import { api } from '../../lib/api';
import { useState, type FormEvent } from 'react';
import { toApiError } from '../../lib/toApiError';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';

interface FolderDialogProps {
  current: string;
  onSaved: (folder: string) => void;
  onCancel: () => void;
}

/**
 * Where new backups go. The backend creates the folder and checks it takes a file; whatever it
 * says is about the folder, so it is shown at the field.
 */
export function FolderDialog({ current, onSaved, onCancel }: FolderDialogProps) {
  const [folder, setFolder] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (saving) return;
    if (folder.trim() === '') {
      setError('Type the full path of a folder, e.g. /var/backups/simple-db.');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await api.backups['folder.set']({ folder: folder.trim() });
      onSaved(saved.folder);
    } catch (caught) {
      setSaving(false);
      setError(toApiError(caught).message);
    }
  }

  return (
    <Modal title="Change backups folder" onDismiss={onCancel} busy={saving}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <p className="muted">New backups are written here, and the history lists the backups in it. Backups already made stay where they are.</p>
        <TextField
          name="backups-folder"
          label="Folder"
          value={folder}
          error={error}
          readOnly={saving}
          onChange={(value) => {
            setFolder(value);
            setError(null);
          }}
        />
        <ModalActions busy={saving} onCancel={onCancel} action={{ label: 'Save', tone: 'primary', submit: true }} />
        {saving && (
          <p role="status" className="form-progress">
            Checking the folder…
          </p>
        )}
      </form>
    </Modal>
  );
}
