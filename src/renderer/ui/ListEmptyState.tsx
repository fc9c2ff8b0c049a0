/**
 * What an empty page of a keyset list says: why it is empty and, when the page lies past the start
 * (the rows before it were deleted meanwhile), a way back to the first page.
 */
export function ListEmptyState({ text, pastStart, onFirst }: { text: string; pastStart: boolean; onFirst: () => void }) {
  return (
    <div className="empty-state">
      <p>{text}</p>
      {pastStart && (
        <button type="button" className="button" onClick={onFirst}>
          Go to the first page
        </button>
      )}
    </div>
  );
}
