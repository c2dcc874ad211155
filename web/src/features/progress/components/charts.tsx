import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, Empty, ErrorNotice, Loading } from '@/components/ui';
import { dailyQuery, fillDays, kstDay, summaryQuery, type Summary } from '../api/progress';
import { WeakList } from './weak-list';

const short = (date: string) => date.slice(5).replace('-', '/');
/** Minutes of seconds: one decimal under ten minutes (a few spoken turns are not "0"), whole minutes above. */
export const minutes = (seconds: number) => (seconds < 600 ? Math.round(seconds / 6) / 10 : Math.round(seconds / 60));

export function DailyChart({ student, days = 14 }: { student?: string; days?: number }) {
  const { t } = useTranslation();
  const from = kstDay(-(days - 1));
  const daily = useQuery(dailyQuery(from, kstDay(), student));
  if (daily.isPending) return <Loading />;
  if (daily.error) return <ErrorNotice error={daily.error} />;
  const data = fillDays(daily.data.days, from, days).map((d) => ({
    date: short(d.date), count: d.practiceCount + d.evaluationCount, turns: d.conversationTurns,
    minutes: minutes(d.totalSpeakingTime),
  }));
  return (
    <figure className="chart" aria-label={t('progress.dailyChart')}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          <Bar dataKey="count" name={t('progress.practiceCount')} fill="#3b5bdb" />
          <Bar dataKey="turns" name={t('progress.conversationTurns')} fill="#f08c00" />
          <Bar dataKey="minutes" name={t('progress.speakingMinutes')} fill="#12b886" />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function TrendChart({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const data = summary.scoreTrend.daily.map((p) => ({ date: short(p.date), score: p.averageScore }));
  if (!data.length) return <Empty>{t('progress.noScores')}</Empty>;
  return (
    <figure className="chart" aria-label={t('progress.trendChart')}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" fontSize={12} />
          <YAxis domain={[0, 100]} fontSize={12} />
          <Tooltip />
          <Line type="monotone" dataKey="score" name={t('progress.averageScore')} stroke="#3b5bdb" strokeWidth={2} dot />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function ProgressOverview({ student }: { student?: string }) {
  const { t } = useTranslation();
  const summary = useQuery(summaryQuery(student));
  return (
    <div className="grid">
      <Card title={t('progress.daily')} className="span-2"><DailyChart student={student} /></Card>
      {summary.isPending && <Loading />}
      <ErrorNotice error={summary.error} />
      {summary.data && (
        <>
          <Card title={t('progress.stats')}>
            <dl className="stats">
              <div><dt>{t('progress.streak')}</dt><dd>{t('progress.days', { count: summary.data.streakDays })}</dd></div>
              <div><dt>{t('progress.evaluations')}</dt><dd>{summary.data.evaluationCount}</dd></div>
              <div><dt>{t('progress.conversationTurns')}</dt><dd data-testid="conversation-turns">{summary.data.conversationTurns}</dd></div>
              <div><dt>{t('progress.averageScore')}</dt><dd>{summary.data.averageScore ?? '–'}</dd></div>
              <div><dt>{t('progress.speakingMinutes')}</dt><dd>{minutes(summary.data.totalSpeakingTime)}</dd></div>
            </dl>
          </Card>
          <Card title={t('progress.trend')} className="span-2"><TrendChart summary={summary.data} /></Card>
          <Card title={t('progress.weakPhonemes')}><WeakList summary={summary.data} kind="phonemes" /></Card>
          <Card title={t('progress.weakWords')}><WeakList summary={summary.data} kind="words" /></Card>
        </>
      )}
    </div>
  );
}
