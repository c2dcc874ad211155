import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty, ErrorNotice, Loading } from '@/components/ui';
import { BellIcon } from '@/components/ui/icons';
import { useLiveFrame } from '@/lib/live';
import { inboxKey, inboxQuery, markAllRead, markRead, withPushed, withRead, type Notification,
  type NotificationPage } from '../api/notifications';

/** Frames that carry an inbox row put it in the cached inbox as they arrive. */
export function useInboxPushes() {
  const queryClient = useQueryClient();
  useLiveFrame('*', (frame) => {
    const row = frame.notification as Notification | undefined;
    if (row?.notificationId) {
      queryClient.setQueryData<NotificationPage>(inboxKey, (page) => withPushed(page, { ...row, read: row.read ?? false }));
    }
  });
}

export function InboxList({ onNavigate }: { onNavigate?: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const inbox = useQuery(inboxQuery());
  const read = async (ids: string[] | 'all') => {
    queryClient.setQueryData<NotificationPage>(inboxKey, (page) => withRead(page, ids));
    await (ids === 'all' ? markAllRead() : Promise.all(ids.map(markRead)));
  };
  if (inbox.isPending) return <Loading />;
  if (inbox.error) return <ErrorNotice error={inbox.error} />;
  const rows = inbox.data.notifications;
  return (
    <div className="inbox">
      {rows.some((n) => !n.read) && (
        <button type="button" className="btn btn-ghost" onClick={() => void read('all')}>{t('notifications.markAll')}</button>
      )}
      {rows.length === 0 ? <Empty>{t('notifications.empty')}</Empty> : (
        <ul>
          {rows.map((n) => (
            <li key={n.notificationId} className={n.read ? 'read' : 'unread'}>
              <div>
                <strong>{n.title}</strong>
                <p>{n.message}</p>
                <time dateTime={n.createdAt}>{new Date(n.createdAt).toLocaleString(i18n.language)}</time>
              </div>
              {!n.read && (
                <button type="button" className="btn btn-ghost" onClick={() => { void read([n.notificationId]); onNavigate?.(); }}>
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NotificationBell() {
  const { t } = useTranslation();
  useInboxPushes();
  const inbox = useQuery(inboxQuery());
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const unread = inbox.data?.notifications.filter((n) => !n.read).length ?? 0;
  useEffect(() => {
    if (!open) return;
    const close = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', close);
    panel.current?.focus();
    return () => window.removeEventListener('keydown', close);
  }, [open]);
  return (
    <div className="bell">
      <button type="button" className="btn btn-ghost bell-button" aria-expanded={open} aria-controls="inbox-panel"
        aria-label={t('notifications.bell', { count: unread })} onClick={() => setOpen(!open)}>
        <BellIcon />
        {unread > 0 && <span className="badge" data-testid="unread-count">{unread}</span>}
      </button>
      {open && (
        <div id="inbox-panel" className="bell-panel" role="region" aria-label={t('notifications.title')} tabIndex={-1}
          ref={panel}>
          <InboxList />
        </div>
      )}
    </div>
  );
}
