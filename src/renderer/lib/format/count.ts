const numberFormat = new Intl.NumberFormat('en-US');

/** "1 user", "1,204 users": grouping keeps large (often estimated) counts readable. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${numberFormat.format(count)} ${count === 1 ? singular : plural}`;
}

/** The planner's estimate is not a count, so it is labelled as one. */
export function usersTotalText(total: { count: number; estimated: boolean }): string {
  const text = countOf(total.count, 'user');
  return total.estimated ? `about ${text}` : text;
}
