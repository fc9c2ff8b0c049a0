import { useRef, useState } from 'react';
import type { HostKey } from '../../../shared/contract';
import { api } from '../../lib/api';
import { toApiError } from '../../lib/toApiError';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Modal } from '../../ui/Modal';
import { ModalActions } from '../../ui/ModalActions';
import { TextField } from '../../ui/TextField';

interface HostKeyDialogProps {
  hostKey: HostKey;
  /** The key is trusted now: try again. */
  onTrusted: () => void;
  onCancel: () => void;
}

/** `host:port`, with IPv6 addresses in brackets. */
function hostPort({ host, port }: HostKey): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * An SSH server's key the app has not seen: shown for the admin to compare with what the server's
 * admin reads off the server, then trusted on request. A key that changed is a different dialog:
 * a warning, and trusting it only after typing the host name.
 */
export function HostKeyDialog(props: HostKeyDialogProps) {
  return props.hostKey.changed ? <ChangedHostKeyDialog {...props} /> : <UnknownHostKeyDialog {...props} />;
}

function useTrust(hostKey: HostKey, onTrusted: () => void) {
  const [trusting, setTrusting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function trust(): Promise<void> {
    if (trusting) return;
    setTrusting(true);
    setError(null);
    try {
      const { host, port, algorithm, fingerprint, key } = hostKey;
      await api.connections.trustHostKey({ host, port, algorithm, fingerprint, key });
      onTrusted();
    } catch (caught) {
      setTrusting(false);
      setError(toApiError(caught).message);
    }
  }
  return { trusting, error, trust };
}

function KeyDetails({ hostKey, label }: { hostKey: HostKey; label: string }) {
  return (
    <dl className="details host-key">
      <dt>Host</dt>
      <dd>
        <code>{hostPort(hostKey)}</code>
      </dd>
      <dt>Key type</dt>
      <dd>
        <code>{hostKey.algorithm}</code>
      </dd>
      {hostKey.previousFingerprint !== undefined && (
        <>
          <dt>Trusted fingerprint</dt>
          <dd>
            <code className="fingerprint">{hostKey.previousFingerprint}</code>
          </dd>
        </>
      )}
      <dt>{label}</dt>
      <dd>
        <code className="fingerprint">{hostKey.fingerprint}</code>
      </dd>
    </dl>
  );
}

function UnknownHostKeyDialog({ hostKey, onTrusted, onCancel }: HostKeyDialogProps) {
  const { trusting, error, trust } = useTrust(hostKey, onTrusted);
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal title="Unknown SSH host" onDismiss={onCancel} busy={trusting} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <p>Simple DB has not connected to this SSH server before, so it cannot tell yet that it is the server you mean.</p>
        <KeyDetails hostKey={hostKey} label="Fingerprint" />
        <p className="muted">
          Compare the fingerprint with the one the server’s administrator reads on the server (for example with{' '}
          <code>ssh-keygen -lf /etc/ssh/ssh_host_{hostKey.algorithm.replace(/^ssh-|-.*$/g, '') || 'ed25519'}_key.pub</code>). Trust it only if they
          match.
        </p>
        {trusting && (
          <p role="status" className="muted">
            Trusting the key…
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions
        busy={trusting}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{ label: 'Trust and connect', tone: 'primary', onClick: () => void trust() }}
      />
    </Modal>
  );
}

function ChangedHostKeyDialog({ hostKey, onTrusted, onCancel }: HostKeyDialogProps) {
  const { trusting, error, trust } = useTrust(hostKey, onTrusted);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const matches = typed.trim() === hostKey.host;
  return (
    <Modal title="SSH host key changed" onDismiss={onCancel} busy={trusting} initialFocusRef={cancelRef}>
      <div className="modal-body">
        <div role="alert" className="alert alert-error host-key-warning">
          <div className="alert-body">
            <p className="alert-title">The SSH server answered with a different key than before. Simple DB did not connect.</p>
            <p className="alert-message">
              Someone may be intercepting the connection (a man-in-the-middle attack). It can also mean the server was reinstalled or its keys were
              replaced: ask the server’s administrator before going on.
            </p>
          </div>
        </div>
        <KeyDetails hostKey={hostKey} label="New fingerprint" />
        <TextField
          name="host-key-confirm"
          label="Type the host name to trust the new key"
          hint={
            <>
              Type <code>{hostKey.host}</code> if you know the server was replaced.
            </>
          }
          value={typed}
          error={typedError}
          readOnly={trusting}
          onChange={(value) => {
            setTyped(value);
            setTypedError(null);
          }}
        />
        {trusting && (
          <p role="status" className="muted">
            Trusting the new key…
          </p>
        )}
        {error && <ErrorAlert message={error} />}
      </div>
      <ModalActions
        busy={trusting}
        onCancel={onCancel}
        cancelRef={cancelRef}
        action={{
          label: 'I replaced the server — trust the new key',
          tone: 'danger',
          unavailable: !matches,
          onClick: () => {
            if (!matches) {
              setTypedError(`Type ${hostKey.host} exactly to trust the new key.`);
              return;
            }
            void trust();
          },
        }}
      />
    </Modal>
  );
}
