import { queryOptions } from '@tanstack/react-query';
import { notifications, unwrap } from '@/lib/api/client';
import type { NotificationsAnswer } from '@/lib/api/schemas';

export type Notification = NotificationsAnswer<'NotificationAnswer'>;
export type NotificationPage = NotificationsAnswer<'NotificationPage'>;

export const inboxKey = ['notifications', 'inbox'] as const;

export const inboxQuery = () => queryOptions({
  queryKey: inboxKey,
  queryFn: () => unwrap(notifications().GET('/api/notifications', { params: { query: { limit: 30 } } })),
});

export async function markRead(notificationId: string) {
  return unwrap(notifications().POST('/api/notifications/{notification_id}/read',
    { params: { path: { notification_id: notificationId } } }));
}

export async function markAllRead() {
  return unwrap(notifications().POST('/api/notifications/read-all'));
}

/** A pushed frame's inbox row, put at the top of the cached inbox (no refetch). */
export function withPushed(page: NotificationPage | undefined, row: Notification): NotificationPage | undefined {
  if (!page) return page;
  if (page.notifications.some((n) => n.notificationId === row.notificationId)) return page;
  return { ...page, notifications: [row, ...page.notifications] };
}

export function withRead(page: NotificationPage | undefined, ids: string[] | 'all'): NotificationPage | undefined {
  if (!page) return page;
  return { ...page, notifications: page.notifications.map((n) =>
    ids === 'all' || ids.includes(n.notificationId) ? { ...n, read: true } : n) };
}
