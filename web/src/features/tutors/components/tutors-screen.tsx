import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, Empty, ErrorNotice, Loading, TextArea, TextField } from '@/components/ui';
import { ConsentNote, useConsentBlock } from '@/features/auth';
import { useLiveFrame } from '@/lib/live';
import { cancelRequest, myRequestsKey, myRequestsQuery, myTutorKey, myTutorQuery, requestTutor, tutorSearchQuery,
  type MatchRequest, type Tutor } from '../api/tutors';

type RequestPage = { requests: MatchRequest[]; cursor: string | null };

/** The tutor's answer is pushed (tutor_match approved/rejected): the request's state changes in place. */
export function useMatchPushes() {
  const queryClient = useQueryClient();
  useLiveFrame('tutor_match', (frame) => {
    const status = ({ approved: 'APPROVED', rejected: 'REJECTED', cancelled: 'CANCELLED' } as const)[
      frame.action as 'approved' | 'rejected' | 'cancelled'];
    if (status) {
      queryClient.setQueryData<RequestPage>(myRequestsKey, (page) => page && {
        ...page, requests: page.requests.map((r) => r.requestId === frame.requestId
          ? { ...r, status, reason: (frame.reason as string | undefined) ?? r.reason } : r) });
    }
    if (frame.action === 'approved' || frame.action === 'ended') void queryClient.invalidateQueries({ queryKey: myTutorKey });
  });
}

function TutorRow({ tutor, pending, canRequest }: { tutor: Tutor; pending: boolean; canRequest: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const consent = useConsentBlock(); // matching answers 403 GUARDIAN_CONSENT_REQUIRED until the guardian consents
  const send = useMutation({
    mutationFn: () => requestTutor(tutor.email, message),
    onSuccess: (request) => {
      queryClient.setQueryData<RequestPage>(myRequestsKey, (page) => page && { ...page, requests: [request, ...page.requests] });
      setOpen(false);
    },
  });
  return (
    <li className="tutor-row">
      <div>
        <strong>{tutor.name}</strong> <small className="muted">{tutor.email}</small>
        {tutor.intro && <p>{tutor.intro}</p>}
        <p className="muted"><small>{t('tutors.seats', { open: tutor.openSeats, max: tutor.maxStudents })}</small></p>
      </div>
      {!canRequest && !pending ? null : pending ? <span className="pill">{t('tutors.status.PENDING')}</span> : open ? (
        <form onSubmit={(e) => { e.preventDefault(); send.mutate(); }} className="stack">
          <TextArea label={t('tutors.message')} rows={2} maxLength={500} value={message} onChange={(e) => setMessage(e.target.value)} />
          <ErrorNotice error={send.error} />
          <div className="row">
            <Button type="submit" busy={send.isPending} disabled={consent.blocked} {...consent.describe}>{t('tutors.send')}</Button>
            <Button variant="ghost" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
          </div>
        </form>
      ) : <Button variant="secondary" onClick={() => setOpen(true)} disabled={consent.blocked} {...consent.describe}>
        {t('tutors.request')}</Button>}
    </li>
  );
}

function MyTutor() {
  const { t } = useTranslation();
  const mine = useQuery(myTutorQuery());
  if (mine.isPending) return <Loading />;
  if (mine.error) return <ErrorNotice error={mine.error} />;
  if (!mine.data.tutor) return <Empty>{t('tutors.noTutor')}</Empty>;
  return <p data-testid="my-tutor"><strong>{mine.data.tutor.name}</strong> <small>{mine.data.tutor.email}</small></p>;
}

export function TutorsScreen() {
  const { t } = useTranslation();
  useMatchPushes();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim());
  const tutors = useQuery(tutorSearchQuery(deferred));
  const requests = useQuery(myRequestsQuery());
  const hasTutor = Boolean(useQuery(myTutorQuery()).data?.tutor);
  const pendingTo = new Set(requests.data?.requests.filter((r) => r.status === 'PENDING').map((r) => r.tutorEmail));
  const cancel = useMutation({
    mutationFn: cancelRequest,
    onSuccess: (request) => queryClient.setQueryData<RequestPage>(myRequestsKey, (page) => page && {
      ...page, requests: page.requests.map((r) => (r.requestId === request.requestId ? request : r)) }),
  });
  return (
    <div className="stack">
      <h1>{t('tutors.title')}</h1>
      <Card title={t('tutors.myTutor')}><MyTutor /></Card>
      <Card title={t('tutors.find')}>
        <TextField label={t('tutors.search')} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <ConsentNote />
        {tutors.isPending ? <Loading /> : tutors.error ? <ErrorNotice error={tutors.error} /> :
          tutors.data.tutors.length === 0 ? <Empty>{t('tutors.none')}</Empty> : (
            <ul className="tutor-list">
              {tutors.data.tutors.map((tutor) => <TutorRow key={tutor.email} tutor={tutor}
                pending={pendingTo.has(tutor.email)} canRequest={!hasTutor} />)}
            </ul>
          )}
      </Card>
      <Card title={t('tutors.myRequests')}>
        {requests.isPending ? <Loading /> : requests.error ? <ErrorNotice error={requests.error} /> :
          requests.data.requests.length === 0 ? <Empty>{t('tutors.noRequests')}</Empty> : (
            <ul className="request-list">
              {requests.data.requests.map((r) => (
                <li key={r.requestId} data-testid="my-request">
                  <span>{r.tutorName || r.tutorEmail}</span>
                  <span className={`pill pill-${r.status.toLowerCase()}`} data-testid="request-status">{t(`tutors.status.${r.status}`)}</span>
                  {r.reason && <small>{r.reason}</small>}
                  {r.status === 'PENDING' && (
                    <Button variant="ghost" onClick={() => cancel.mutate(r.requestId)}>{t('tutors.cancel')}</Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        <ErrorNotice error={cancel.error} />
      </Card>
    </div>
  );
}
