import { useTranslation } from 'react-i18next';
import { Card } from '@/components/ui';
import { InboxList } from '@/features/notifications';

export default function NotificationsRoute() {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <h1>{t('notifications.title')}</h1>
      <Card><InboxList /></Card>
    </div>
  );
}
