import type { IndexPlan, MigrationPlan } from '../../../shared/contract';
import { sizeText } from '../../../shared/size-text';
import { countOf } from '../../lib/format/count';
import { isMissingIndexes, planTotals, roughTime } from './planFormat';

function IndexLine({ index, sayConcurrently }: { index: IndexPlan; sayConcurrently: boolean }) {
  if (index.skipped) {
    return (
      <li>
        {/* The reason may end a sentence already: one full stop, not two. */}
        <code>{index.name}</code> on {index.table} — {index.purpose}: <strong>skipped</strong>. {index.skipped.replace(/\.\s*$/, '')}.
      </li>
    );
  }
  return (
    <li>
      <code>{index.name}</code> on {index.table} — {index.purpose} · ~{sizeText(index.estimatedBytes)} · {roughTime(index.estimatedSeconds)}
      {sayConcurrently && index.concurrently && ' · concurrently'}
    </li>
  );
}

/**
 * What each pending migration will build before the admin applies it: every index with its
 * purpose, rough disk and time, whether the table keeps serving while it builds (CONCURRENTLY),
 * and any index that will be skipped, with why. An applied migration's missing indexes (skipped
 * when it ran, buildable now) are listed the same way, said as such.
 */
export function IndexPlans({ plans }: { plans: readonly MigrationPlan[] }) {
  return (
    <>
      {plans.map((plan) => {
        const { built, bytes, seconds, concurrently } = planTotals(plan);
        const missing = isMissingIndexes(plan);
        return (
          <section
            key={`${plan.kind ?? 'pending'}:${plan.name}`}
            aria-label={missing ? `Indexes ${plan.name} still needs` : `Indexes ${plan.name} builds`}
          >
            <p>
              {missing ? (
                <>
                  <code>{plan.name}</code> is applied, but {countOf(built, 'of its indexes is', 'of its indexes are')} missing (not buildable when it
                  ran, for want of an extension such as pg_trgm, or dropped since). {built === 1 ? 'It is' : 'They are'} built now (about{' '}
                  {sizeText(bytes)} on disk, {roughTime(seconds)}).{' '}
                </>
              ) : (
                <>
                  <code>{plan.name}</code> builds {countOf(built, 'index', 'indexes')} (about {sizeText(bytes)} on disk, {roughTime(seconds)}).{' '}
                </>
              )}
              {concurrently === 'all'
                ? 'Each is built with CREATE INDEX CONCURRENTLY: the tables keep serving reads and writes meanwhile.'
                : concurrently === 'some'
                  ? 'Those marked “concurrently” are built with CREATE INDEX CONCURRENTLY (the tables keep serving reads and writes meanwhile); the others inside the migration.'
                  : missing
                    ? 'They are built in one transaction, on tables nobody else uses.'
                    : 'They are built inside the migration, on tables nobody else uses.'}
            </p>
            <ul className="migration-list">
              {plan.indexes.map((index) => (
                <IndexLine key={index.name} index={index} sayConcurrently={concurrently === 'some'} />
              ))}
            </ul>
          </section>
        );
      })}
      <p className="field-hint">Sizes and times are rough, from the tables’ row counts and column widths.</p>
    </>
  );
}
