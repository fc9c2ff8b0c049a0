import type { ImportProblem } from '../../../shared/contract';
import { formatNumber } from '../../lib/format/count';

/** The bad lines of an import: line, column, value and reason, every one as text (a value is the file's, never markup). */
export function ImportProblemsTable({ problems }: { problems: readonly ImportProblem[] }) {
  return (
    <div className="table-scroll transfer-problems">
      <table className="compact-table" aria-label="Problems found in the file">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Line
            </th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem, index) => (
            // Several problems can share a line (and a column): the position in the report tells them apart.
            <tr key={`${problem.line}-${index}`}>
              <td className="numeric">{formatNumber(problem.line)}</td>
              <td>{problem.column ?? 'the whole line'}</td>
              <td className="transfer-value">{problem.value ?? ''}</td>
              <td>{problem.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
