import type { Preflight } from '../../../shared/contract';
import { FORMAT_LABELS, formatNumber, sizeText } from './backupFormat';
import { isFixed, type RestoreChoices } from './restoreRules';

/** Rows where known; a plain file's or an old archive's tables may not say. */
function rowsText(rows: number | null): string {
  return rows === null ? 'unknown' : formatNumber(rows);
}

/** What the file is and what it holds, as read before anything runs. */
export function RestoreFileDetails({ file }: { file: Preflight['file'] }) {
  return (
    <section className="restore-section" aria-labelledby="restore-file-heading">
      <h3 id="restore-file-heading" className="restore-section-title">
        The backup
      </h3>
      <dl className="details">
        <dt>File</dt>
        <dd>{file.name}</dd>
        <dt>Format</dt>
        <dd>
          {FORMAT_LABELS[file.format]}, {sizeText(file.size)}
        </dd>
        <dt>Source database</dt>
        <dd>{file.sourceDatabase ?? 'unknown'}</dd>
        <dt>Source server</dt>
        <dd>{file.sourceServerVersion ? `PostgreSQL ${file.sourceServerVersion}` : 'unknown'}</dd>
        <dt>Made by</dt>
        <dd>{file.toolVersion ? `pg_dump ${file.toolVersion}` : 'unknown'}</dd>
        <dt>Manifest</dt>
        <dd>{file.hasManifest ? 'Yes: sizes, checksum and row counts recorded when it was made' : 'No manifest (a file made outside Simple DB)'}</dd>
      </dl>
      {file.tables.length === 0 ? (
        <p className="muted">The file lists no tables.</p>
      ) : (
        <div className="table-scroll">
          <table className="compact-table" aria-label="Tables in the backup">
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" className="numeric">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {file.tables.map((table) => (
                <tr key={table.name}>
                  <td>{table.name}</td>
                  <td className="numeric">{rowsText(table.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type ReplacedObject = Preflight['target']['replaced'][number];

/** Rows now: counted, or the planner's estimate for a big table ("about 1,500,000"). */
function rowsNowText(object: ReplacedObject): string {
  if (object.rows === null) return '—';
  return object.estimated ? `about ${formatNumber(object.rows)}` : formatNumber(object.rows);
}

/** What the target holds now, one row per object: name, kind and rows now. */
function ObjectsTable({ label, objects }: { label: string; objects: readonly ReplacedObject[] }) {
  return (
    <div className="table-scroll">
      <table className="compact-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col" className="numeric">
              Rows now
            </th>
          </tr>
        </thead>
        <tbody>
          {objects.map((object) => (
            <tr key={`${object.kind}:${object.name}`}>
              <td>{object.name}</td>
              <td>{object.kind}</td>
              <td className="numeric" title={object.estimated ? 'The planner’s estimate: the table is too big to count quickly.' : undefined}>
                {rowsNowText(object)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ReplacedProps {
  target: Preflight['target'];
  mode: RestoreChoices['mode'];
  /** The database restored into: the connected one, or the new name as typed. */
  database: string;
}

/**
 * What is in the target now and will be dropped: what the backup puts back, and apart from it, in
 * a warning of its own, what it does not bring back. Or that nothing existing is touched.
 */
export function RestoreReplacedDetails({ target, mode, database }: ReplacedProps) {
  if (mode === 'new') {
    return (
      <p className="muted">
        A new database <strong>{database}</strong> is created for the restore; nothing that exists now is changed.
      </p>
    );
  }
  if (target.replaced.length === 0) {
    return (
      <p className="muted">
        <strong>{database}</strong> holds no tables or other objects now: nothing is dropped.
      </p>
    );
  }
  const lost = target.replaced.filter((object) => object.notInBackup);
  const replaced = target.replaced.filter((object) => !object.notInBackup);
  return (
    <>
      {lost.length > 0 && (
        <section className="restore-section restore-lost" aria-labelledby="restore-lost-heading">
          <h3 id="restore-lost-heading" className="restore-section-title">
            Dropped and NOT brought back by this backup
          </h3>
          <p>
            {database} holds {lost.length === 1 ? 'this' : 'these'} now, but the backup does not: the restore drops{' '}
            {lost.length === 1 ? 'it' : 'them'} and does not bring {lost.length === 1 ? 'it' : 'them'} back.
          </p>
          <ObjectsTable label={`Dropped and not brought back from ${database}`} objects={lost} />
        </section>
      )}
      {replaced.length > 0 && (
        <section className="restore-section" aria-labelledby="restore-replaced-heading">
          <h3 id="restore-replaced-heading" className="restore-section-title">
            Dropped and replaced in {database}
          </h3>
          <p className="warning-text">Everything listed here is dropped, and the backup&apos;s contents take its place.</p>
          <ObjectsTable label={`Dropped and replaced in ${database}`} objects={replaced} />
        </section>
      )}
    </>
  );
}

interface SessionsProps {
  target: Preflight['target'];
  terminate: boolean;
  onTerminateChange: (terminate: boolean) => void;
}

/** Who else is connected to the target; their locks could stall the restore. */
export function RestoreSessions({ target, terminate, onTerminateChange }: SessionsProps) {
  if (target.sessions.length === 0) return null;
  return (
    <section className="restore-section" aria-labelledby="restore-sessions-heading">
      <h3 id="restore-sessions-heading" className="restore-section-title">
        Other sessions on {target.database}
      </h3>
      <ul className="plain-list">
        {target.sessions.map((session) => (
          <li key={session.pid}>
            <span className="muted">pid {session.pid}</span> · {session.applicationName || 'no application name'} · {session.user}
            {session.state ? ` (${session.state})` : ''}
          </li>
        ))}
      </ul>
      <label className="check">
        <input type="checkbox" checked={terminate} onChange={(event) => onTerminateChange(event.target.checked)} />
        End these sessions first
      </label>
    </section>
  );
}

/** Problems found in advance: blocking ones stop the restore until the option that solves them is chosen. */
export function RestoreProblems({ problems, choices }: { problems: Preflight['problems']; choices: RestoreChoices }) {
  if (problems.length === 0) return null;
  return (
    <section className="restore-section" aria-labelledby="restore-problems-heading">
      <h3 id="restore-problems-heading" className="restore-section-title">
        Found before restoring
      </h3>
      <ul className="problem-list">
        {problems.map((problem, index) => {
          const fixed = isFixed(problem, choices);
          const tone = problem.blocking && !fixed ? 'problem problem-blocking' : fixed ? 'problem problem-fixed' : 'problem problem-note';
          return (
            <li key={`${problem.kind}-${index}`} className={tone}>
              <strong>{problem.blocking && !fixed ? 'Blocks the restore: ' : fixed ? 'Solved by your choice: ' : 'Note: '}</strong>
              {problem.message}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
