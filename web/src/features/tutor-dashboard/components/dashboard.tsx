import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { Button, Card, Empty, ErrorNotice, Loading, TextField } from '@/components/ui';
import { useLiveFrame } from '@/lib/live';
import { approve, incomingKey, incomingQuery, liveScoresKey, reject, saveSettings, settingsKey, settingsQuery,
  studentsKey, studentsQuery, withStatus, isChildHandle, type LiveScores, type RequestPage, type Students, type TutorProfile } from '../api/tutor';

/** Live pushes for the tutor: new or cancelled requests, students' status and scores. */
export function useTutorPushes() {
  const queryClient = useQueryClient();
  useLiveFrame('tutor_match', (frame) => {
    if (frame.action === 'requested') void queryClient.invalidateQueries({ queryKey: incomingKey });
    if (frame.action === 'cancelled') {
      queryClient.setQueryData<RequestPage>(incomingKey, (page) => page && {
        ...page, requests: page.requests.filter((r) => r.requestId !== frame.requestId) });
    }
    if (frame.action === 'ended') void queryClient.invalidateQueries({ queryKey: studentsKey });
  });
  useLiveFrame('student_status_update', (frame) => {
    queryClient.setQueryData<Students>(studentsKey, (list) => withStatus(list, frame));
  });
  useLiveFrame('practice_result', (frame) => {
    queryClient.setQueryData<LiveScores>(liveScoresKey, (scores) => ({ ...scores, [String(frame.studentEmail)]: {
      overallScore: Number(frame.overallScore), originalText: String(frame.originalText), grade: String(frame.grade) } }));
  });
}

function IncomingRequests() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const incoming = useQuery(incomingQuery());
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const drop = (requestId: string) => queryClient.setQueryData<RequestPage>(incomingKey, (page) => page && {
    ...page, requests: page.requests.filter((r) => r.requestId !== requestId) });
  const approval = useMutation({
    mutationFn: approve,
    onSuccess: (answer) => {
      drop(answer.requestId);
      queryClient.setQueryData<Students>(studentsKey, (list) => list && { students: [...list.students, answer.link] });
      void queryClient.invalidateQueries({ queryKey: settingsKey });
    },
  });
  const refusal = useMutation({
    mutationFn: ({ id, why }: { id: string; why: string }) => reject(id, why),
    onSuccess: (answer) => { drop(answer.requestId); setRejecting(null); setReason(''); },
  });
  if (incoming.isPending) return <Loading />;
  if (incoming.error) return <ErrorNotice error={incoming.error} />;
  if (!incoming.data.requests.length) return <Empty>{t('tutor.noRequests')}</Empty>;
  return (
    <ul className="request-list">
      {incoming.data.requests.map((r) => (
        <li key={r.requestId} data-testid="incoming-request">
          <div>
            <strong>{r.studentName || r.studentEmail}</strong> {!isChildHandle(r.studentEmail) && <small>{r.studentEmail}</small>}
            {r.message && <p>“{r.message}”</p>}
          </div>
          {rejecting === r.requestId ? (
            <form className="row wrap" onSubmit={(e) => { e.preventDefault(); refusal.mutate({ id: r.requestId, why: reason }); }}>
              <TextField label={t('tutor.reason')} required value={reason} onChange={(e) => setReason(e.target.value)} />
              <Button type="submit" variant="danger" busy={refusal.isPending}>{t('tutor.reject')}</Button>
              <Button variant="ghost" onClick={() => setRejecting(null)}>{t('common.cancel')}</Button>
            </form>
          ) : (
            <div className="row">
              <Button onClick={() => approval.mutate(r.requestId)} busy={approval.isPending}>{t('tutor.approve')}</Button>
              <Button variant="secondary" onClick={() => setRejecting(r.requestId)}>{t('tutor.reject')}</Button>
            </div>
          )}
        </li>
      ))}
      <ErrorNotice error={approval.error ?? refusal.error} />
    </ul>
  );
}

function Capacity() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery(settingsQuery());
  const [max, setMax] = useState<string>('');
  // The switch moves at once (optimistic) and moves back if the service refuses.
  const save = useMutation({
    mutationFn: saveSettings,
    onMutate: async (change) => {
      // A settings read still in flight would land after the optimistic value and move the switch back.
      await queryClient.cancelQueries({ queryKey: settingsKey });
      const before = queryClient.getQueryData<TutorProfile>(settingsKey);
      if (before) queryClient.setQueryData<TutorProfile>(settingsKey, { ...before, ...change } as TutorProfile);
      return before;
    },
    onError: (_error, _change, before) => queryClient.setQueryData(settingsKey, before),
    onSuccess: (s) => queryClient.setQueryData(settingsKey, s),
  });
  if (settings.isPending) return <Loading />;
  if (settings.error) return <ErrorNotice error={settings.error} />;
  const s = settings.data;
  return (
    <div className="stack">
      <p>{t('tutor.capacityNow', { count: s.studentCount, max: s.maxStudents })}</p>
      <label className="switch">
        <input type="checkbox" checked={s.isAccepting} onChange={(e) => save.mutate({ isAccepting: e.target.checked })} />
        {t('tutor.accepting')}
      </label>
      <form className="row wrap" onSubmit={(e) => { e.preventDefault(); save.mutate({ maxStudents: Number(max) }); }}>
        <TextField label={t('tutor.maxStudents')} type="number" min={1} max={100} required
          value={max || String(s.maxStudents)} onChange={(e) => setMax(e.target.value)} />
        <Button type="submit" variant="secondary" busy={save.isPending}>{t('common.save')}</Button>
      </form>
      <ErrorNotice error={save.error} />
    </div>
  );
}

function MyStudents() {
  const { t, i18n } = useTranslation();
  const students = useQuery(studentsQuery());
  const scores = useQuery({ queryKey: liveScoresKey, queryFn: () => ({}) as LiveScores, staleTime: Infinity });
  if (students.isPending) return <Loading />;
  if (students.error) return <ErrorNotice error={students.error} />;
  if (!students.data.students.length) return <Empty>{t('tutor.noStudents')}</Empty>;
  return (
    <ul className="student-list">
      {students.data.students.map((s) => {
        const score = scores.data?.[s.studentEmail];
        return (
          <li key={s.studentEmail} data-testid="student-row">
            <RouterLink to={`/tutor/students/${encodeURIComponent(s.studentEmail)}`}>
              <strong>{s.studentName || s.studentEmail}</strong>
            </RouterLink>
            <span className={`pill ${s.isLearning ? 'pill-live' : ''}`} data-testid="student-status">
              {s.isLearning ? t('tutor.learningIn', { room: t(`rooms.${s.room ?? 'practice'}`, { defaultValue: s.room }) }) : t('tutor.idle')}
            </span>
            {score && <span data-testid="student-score">{t('tutor.lastScore', { score: Math.round(score.overallScore) })}</span>}
            {s.statusUpdatedAt && <time dateTime={s.statusUpdatedAt}>{new Date(s.statusUpdatedAt).toLocaleTimeString(i18n.language)}</time>}
          </li>
        );
      })}
    </ul>
  );
}

export function TutorDashboard() {
  const { t } = useTranslation();
  useTutorPushes();
  return (
    <div className="stack">
      <h1>{t('tutor.title')}</h1>
      <div className="grid">
        <Card title={t('tutor.requests')} className="span-2"><IncomingRequests /></Card>
        <Card title={t('tutor.capacity')}><Capacity /></Card>
        <Card title={t('tutor.students')} className="span-3"><MyStudents /></Card>
      </div>
    </div>
  );
}
