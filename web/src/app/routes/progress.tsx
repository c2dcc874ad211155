import { useTranslation } from 'react-i18next';
import { Card } from '@/components/ui';
import { ProgressOverview, ResultsList } from '@/features/progress';

export default function ProgressRoute() {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <h1>{t('progress.title')}</h1>
      <ProgressOverview />
      <Card title={t('progress.results')}><ResultsList /></Card>
    </div>
  );
}
