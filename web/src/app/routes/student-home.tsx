import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Card, Empty, ErrorNotice, Loading } from '@/components/ui';
import { kstDay, latestFeedbackQuery, LazyDailyChart, summaryQuery, WeakList } from '@/features/progress';
import { myTutorQuery, useMatchPushes } from '@/features/tutors';
import { useLiveFrame } from '@/lib/live';

type FeedbackPage = Awaited<ReturnType<NonNullable<ReturnType<typeof latestFeedbackQuery>['queryFn']>>>;

export default function StudentHome() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  useMatchPushes();
  const summary = useQuery(summaryQuery());
  const feedback = useQuery(latestFeedbackQuery());
  const tutor = useQuery(myTutorQuery()).data?.tutor;
  useLiveFrame('feedback', (frame) => {
    queryClient.setQueryData<FeedbackPage>(latestFeedbackQuery().queryKey, (page) => page && {
      ...page, feedback: [{ feedbackId: String(frame.feedbackId), tutorEmail: String(frame.tutorEmail),
        studentEmail: '', message: String(frame.message), messageType: frame.messageType as FeedbackPage['feedback'][number]['messageType'],
        timestamp: String(frame.occurredAt ?? new Date().toISOString()), websocketSent: true }, ...page.feedback] });
  });
  const today = kstDay();
  const latest = feedback.data?.feedback[0];
  return (
    <div className="stack">
      <h1>{t('home.title')}</h1>
      <div className="grid">
        <Card title={t('home.streak')}>
          {summary.isPending ? <Loading /> : summary.error ? <ErrorNotice error={summary.error} /> : (
            <p className="big" data-testid="streak">{t('progress.days', { count: summary.data.streakDays })}</p>
          )}
        </Card>
        <Card title={t('home.today')}>
          {summary.data && (
            <p>{summary.data.lastPracticeDate === today ? t('home.practisedToday') : t('home.notYet')}</p>
          )}
          <Link className="btn btn-primary" to="/practice">{t('home.startPractice')}</Link>
        </Card>
        <Card title={t('home.tutorFeedback')}>
          {feedback.isPending ? <Loading /> : feedback.error ? <ErrorNotice error={feedback.error} /> : latest ? (
            <blockquote data-testid="latest-feedback">
              <p>{latest.message}</p>
              <footer>{tutor?.email === latest.tutorEmail ? tutor.name : latest.tutorEmail} · <time dateTime={latest.timestamp}>{new Date(latest.timestamp).toLocaleString(i18n.language)}</time></footer>
            </blockquote>
          ) : <Empty>{t('home.noFeedback')}</Empty>}
        </Card>
        <Card title={t('home.week')} className="span-2"><Suspense fallback={<Loading />}><LazyDailyChart days={7} /></Suspense></Card>
        <Card title={t('home.weakSounds')}>
          {summary.data ? <WeakList summary={summary.data} kind="phonemes" /> : <Loading />}
        </Card>
      </div>
    </div>
  );
}
