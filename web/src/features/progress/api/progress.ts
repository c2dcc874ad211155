import { queryOptions } from '@tanstack/react-query';
import { notifications, practice, unwrap } from '@/lib/api/client';
import type { PracticeAnswer } from '@/lib/api/schemas';

export type Summary = PracticeAnswer<'SummaryAnswer'>;
export type Day = PracticeAnswer<'DayAnswer'>;
export type StoredResult = PracticeAnswer<'StoredResult'>;

/** `student` is set when a tutor reads one of their students. */
const scope = (student?: string) => (student ? { studentEmail: student } : {});

export const summaryQuery = (student?: string) => queryOptions({
  queryKey: ['progress', student ?? 'me', 'summary'],
  queryFn: () => unwrap(practice().GET('/api/stats/summary', { params: { query: scope(student) } })),
});

export const dailyQuery = (from: string, to: string, student?: string) => queryOptions({
  queryKey: ['progress', student ?? 'me', 'daily', from, to],
  queryFn: () => unwrap(practice().GET('/api/stats/daily', { params: { query: { from, to, ...scope(student) } } })),
});

export const resultsQuery = (student?: string) => queryOptions({
  queryKey: ['progress', student ?? 'me', 'results'],
  queryFn: () => unwrap(practice().GET('/api/results', { params: { query: { limit: 20, ...scope(student) } } })),
});

export const latestFeedbackQuery = () => queryOptions({
  queryKey: ['feedback', 'mine'],
  queryFn: () => unwrap(notifications().GET('/api/feedback', { params: { query: { limit: 5 } } })),
});

/** YYYY-MM-DD of a day in Asia/Seoul, `offset` days from today (the services count KST days). */
export function kstDay(offset = 0, now: Date = new Date()): string {
  const shifted = new Date(now.getTime() + 9 * 3600_000 + offset * 86_400_000);
  return shifted.toISOString().slice(0, 10);
}

/** Every day of the range, zero where nothing happened (so a chart shows the gaps). */
export function fillDays(days: Day[], from: string, count: number): Day[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const start = new Date(`${from}T00:00:00Z`).getTime();
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    return byDate.get(date) ?? { date, practiceCount: 0, totalDuration: 0, totalSpeakingTime: 0, evaluationCount: 0, conversationTurns: 0,
      averageScore: null };
  });
}
