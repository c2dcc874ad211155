import { useTranslation } from 'react-i18next';
import { Empty } from '@/components/ui';
import type { Summary } from '../api/progress';

export function WeakList({ summary, kind }: { summary: Summary; kind: 'phonemes' | 'words' }) {
  const { t } = useTranslation();
  const rows = summary.weakAreas[kind];
  if (!rows.length) return <Empty>{t('progress.noWeak')}</Empty>;
  return (
    <ul className="weak-list">
      {rows.map((row) => {
        const name = row.phoneme ?? row.word ?? row.topic ?? '';
        return (
          <li key={name}>
            <span className="weak-name" lang="en">{name}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${row.averageScore}%` }} />
            </span>
            <span>{Math.round(row.averageScore)}</span>
            {row.exampleWords && <small lang="en">{row.exampleWords.join(', ')}</small>}
          </li>
        );
      })}
    </ul>
  );
}
