import type { AppInfo } from '../../shared/contract';
import { databaseAddress, serverVersionText } from '../lib/format/database';
import { Modal } from '../ui/Modal';

/** What a collation means for the order names appear in, in one sentence. */
function collationNote(collation: string): string {
  if (/^ICU/.test(collation)) return 'Names sort as people expect: “adam” beside “Adam”, accented letters with their base letter.';
  if (/\((C|POSIX)\)$/.test(collation)) {
    return 'Names sort by byte value: every capital letter before every small one, accented letters last. Only a new database (or a new embedded cluster) can change this.';
  }
  return 'Names sort by the operating system’s rules for this locale.';
}

/** Simple DB's version and the facts of the database this window works on, including how it sorts text. */
export function AboutDialog({ info, onClose }: { info: AppInfo; onClose: () => void }) {
  const { database } = info;
  return (
    <Modal title="About Simple DB" onDismiss={onClose}>
      <dl className="modal-body about-facts">
        <dt>Simple DB</dt>
        <dd>{info.version}</dd>
        <dt>Server</dt>
        <dd>{serverVersionText(database)}</dd>
        <dt>Database</dt>
        <dd>{databaseAddress(database)}</dd>
        <dt>User</dt>
        <dd>{database.user}</dd>
        <dt>Text order (collation)</dt>
        <dd>
          {database.collation}
          <p className="field-hint">{collationNote(database.collation)}</p>
        </dd>
      </dl>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
