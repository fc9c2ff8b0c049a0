import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveRunAs, type RunAs } from '../../src/main/embedded/run-as';

const execFileAsync = promisify(execFile);

/** Paths of the files made by makeCertificates (PEM). */
export interface TestCertificates {
  /** The test CA: give it to a client as `ca` (verify-ca / verify-full), and the server trusts client certificates it signed. */
  caCert: string;
  /** The CA's key, to sign more certificates in a test if needed. */
  caKey: string;
  /** Signed by the CA; CN localhost, subjectAltName as asked (by default DNS:localhost, IP:127.0.0.1). */
  serverCert: string;
  /** Owned by the server's account, mode 0600 (PostgreSQL refuses a key others can read). */
  serverKey: string;
  /** Signed by the CA; CN = the client user name (the `cert` method of pg_hba.conf compares it with the role). */
  clientCert: string;
  clientKey: string;
  /** A second, unrelated self-signed CA: a client trusting only this one must reject the server ("certificate not trusted"). */
  otherCaCert: string;
}

export interface CertificateOptions {
  /** CN of the client certificate: the role that logs in with it. Default 'cert_user'. */
  clientUser?: string;
  /** subjectAltName entries of the server certificate. Default ['DNS:localhost', 'IP:127.0.0.1']. */
  serverAltNames?: string[];
  /**
   * The account the PostgreSQL server runs as: gets the server key (0600) and the other files it reads.
   * Default: the `postgres` account when running as root (resolveRunAs), else nobody (files stay ours).
   */
  serverAccount?: RunAs | null;
}

const DAYS = '30';
// EC keys: as good as RSA for these tests, and made in milliseconds.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd, env: { ...process.env, LC_ALL: 'C' } });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
}

function serial(): string {
  return `0x${crypto.randomBytes(8).toString('hex')}`;
}

async function selfSignedCa(dir: string, name: string, commonName: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  await openssl(
    [
      'req',
      '-x509',
      ...NEW_KEY,
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      DAYS,
      '-set_serial',
      serial(),
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { cert, key };
}

async function signedLeaf(
  dir: string,
  name: string,
  ca: { cert: string; key: string },
  commonName: string,
  extensions: string[],
): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const extFile = path.join(dir, `${name}.ext`);
  await fs.writeFile(extFile, `${['basicConstraints=CA:FALSE', ...extensions].join('\n')}\n`);
  await openssl(['req', '-new', ...NEW_KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${commonName}`], dir);
  await openssl(
    ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', serial(), '-days', DAYS, '-extfile', extFile, '-out', cert],
    dir,
  );
  await fs.rm(csr, { force: true });
  await fs.rm(extFile, { force: true });
  return { cert, key };
}

/**
 * Makes, with `openssl` (no shell), a test CA, a server certificate it signed (CN localhost, subjectAltName
 * DNS:localhost,IP:127.0.0.1 unless told otherwise), a client certificate it signed (CN = the client user),
 * and an unrelated second CA. Keys are mode 0600; certificates 0644. When the server runs as another account
 * (root runs it as `postgres`), that account owns the server key and can reach the folder.
 */
export async function makeCertificates(dir: string, options: CertificateOptions = {}): Promise<TestCertificates> {
  const clientUser = options.clientUser ?? 'cert_user';
  const altNames = options.serverAltNames ?? ['DNS:localhost', 'IP:127.0.0.1'];
  const serverAccount = options.serverAccount === undefined ? await resolveRunAs() : options.serverAccount;
  if (!/^[A-Za-z0-9_.-]+$/.test(clientUser)) throw new Error(`makeCertificates: unsupported client user name ${clientUser}`);

  // Certificates are public; the keys inside are 0600. 0755 so the server's account can pass through.
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);

  const ca = await selfSignedCa(dir, 'ca', 'Simple DB test CA');
  const server = await signedLeaf(dir, 'server', ca, 'localhost', [
    `subjectAltName=${altNames.join(',')}`,
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
  ]);
  const client = await signedLeaf(dir, 'client', ca, clientUser, [
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ]);
  const otherCa = await selfSignedCa(dir, 'other-ca', 'Unrelated test CA');

  for (const cert of [ca.cert, server.cert, client.cert, otherCa.cert]) await fs.chmod(cert, 0o644);
  for (const key of [ca.key, server.key, client.key, otherCa.key]) await fs.chmod(key, 0o600);
  // PostgreSQL checks the key: owned by the server's account and 0600 (or root-owned and 0640).
  if (serverAccount) await fs.chown(server.key, serverAccount.uid, serverAccount.gid);
  await fs.rm(path.join(dir, 'ca.srl'), { force: true });

  return {
    caCert: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    otherCaCert: otherCa.cert,
  };
}
