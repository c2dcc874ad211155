import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Empty, ErrorNotice, Loading } from '@/components/ui';
import { resultsQuery } from '../api/progress';

export function ResultsList({ student }: { student?: string }) {
  const { t, i18n } = useTranslation();
  const results = useQuery(resultsQuery(student));
  if (results.isPending) return <Loading />;
  if (results.error) return <ErrorNotice error={results.error} />;
  if (!results.data.results.length) return <Empty>{t('progress.noResults')}</Empty>;
  return (
    <ul className="results">
      {results.data.results.map((r) => (
        <li key={r.resultId}>
          <strong className="score">{Math.round(r.overallScore)}</strong>
          <span lang="en">{r.originalText}</span>
          {(r.missedWords ?? []).length > 0 && <small>{t('progress.missed')}: <span lang="en">{(r.missedWords ?? []).join(', ')}</span></small>}
          <time dateTime={r.createdAt ?? undefined}>{r.createdAt ? new Date(r.createdAt).toLocaleString(i18n.language) : ''}</time>
        </li>
      ))}
    </ul>
  );
}
