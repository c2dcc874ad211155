import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Card, Empty, ErrorNotice, Loading } from '@/components/ui';
import { dailyQuery, kstDay, latestFeedbackQuery, LazyDailyChart, summaryQuery, WeakList } from '@/features/progress';
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
  // The same days the week chart reads (one request, shared through the cache): today's conversation turns.
  const week = useQuery(dailyQuery(kstDay(-6), today));
  const turnsToday = week.data?.days.find((d) => d.date === today)?.conversationTurns ?? 0;
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
          {turnsToday > 0 && <p data-testid="conversation-today">{t('home.conversationToday', { count: turnsToday })}</p>}
          <div className="row wrap">
            <Link className="btn btn-primary" to="/practice">{t('home.startPractice')}</Link>
            <Link className="btn btn-secondary" to="/conversation">{t('home.startConversation')}</Link>
          </div>
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
