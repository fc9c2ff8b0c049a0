import { useNoticeStore } from '../stores/noticeStore';

/** Brief success messages ("Deleted …"), announced politely and dismissible. */
export function NoticeArea() {
  const notice = useNoticeStore((s) => s.notice);
  const dismiss = useNoticeStore((s) => s.dismiss);
  if (!notice) return null;
  return (
    <div className="notice" key={notice.key}>
      <p role="status" className="notice-text">
        {notice.text}
      </p>
      <button type="button" className="button button-quiet" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
