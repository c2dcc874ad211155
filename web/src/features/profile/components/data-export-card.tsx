import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNotice } from '@/components/ui';
import { exportsKey, exportsQuery, requestExport, type DataExport } from '../api/data-export';

/** "Download my data" (GDPR art. 20): the latest export's state, its link when ready, and a way to ask. */
export function DataExportCard() {
  const queryClient = useQueryClient();
  const exports = useQuery(exportsQuery());
  const start = useMutation({
    mutationFn: requestExport,
    onSuccess: (started) => queryClient.setQueryData(exportsKey, { exports: [started] }),
  });
  return (
    <DataExportView latest={exports.data?.exports[0]} busy={start.isPending} error={start.error ?? exports.error}
      onRequest={() => start.mutate()} />
  );
}

export function DataExportView({ latest, busy, error, onRequest }: {
  latest: DataExport | undefined; busy: boolean; error: unknown; onRequest: () => void;
}) {
  const { t } = useTranslation();
  const done = latest ? latest.partsDone.length : 0;
  const total = latest ? done + latest.partsMissing.length : 0;
  return (
    <Card title={t('profile.export.title')}>
      <p>{t('profile.export.explain')}</p>
      {latest && (
        <p role="status">
          {t(`profile.export.${latest.status}`, { done, total, until: latest.availableUntil?.slice(0, 10) ?? '' })}
        </p>
      )}
      {latest?.status === 'READY' && latest.downloadUrl && (
        <a className="btn" href={latest.downloadUrl} download>{t('profile.export.download')}</a>
      )}
      {latest?.status !== 'RUNNING' && (
        <Button type="button" busy={busy} onClick={onRequest}>{t('profile.export.request')}</Button>
      )}
      <ErrorNotice error={error} />
    </Card>
  );
}
