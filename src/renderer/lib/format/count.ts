const numberFormat = new Intl.NumberFormat('en-US');

/** "1,204": every count and row number the lists show is grouped the same way. */
export function formatNumber(count: number): string {
  return numberFormat.format(count);
}

/** "1 user", "1,204 users": grouping keeps large (often estimated) counts readable. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

/** "12 products", "about 1,200 users": the planner's estimate is not a count, so it is labelled as one. */
export function totalText(total: { count: number; estimated: boolean }, singular: string): string {
  const text = countOf(total.count, singular);
  return total.estimated ? `about ${text}` : text;
}

export function usersTotalText(total: { count: number; estimated: boolean }): string {
  return totalText(total, 'user');
}
