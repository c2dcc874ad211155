import { queryOptions } from '@tanstack/react-query';
import { matching, unwrap } from '@/lib/api/client';
import type { MatchingAnswer } from '@/lib/api/schemas';

export type Tutor = MatchingAnswer<'TutorAnswer'>;
export type MatchRequest = MatchingAnswer<'RequestAnswer'>;

export const tutorSearchQuery = (search: string) => queryOptions({
  queryKey: ['tutors', 'search', search],
  queryFn: () => unwrap(matching().GET('/api/tutors', { params: { query: { search: search || undefined, limit: 20 } } })),
});

export const myRequestsKey = ['tutors', 'my-requests'] as const;
export const myRequestsQuery = () => queryOptions({
  queryKey: myRequestsKey,
  queryFn: () => unwrap(matching().GET('/api/requests', { params: { query: { limit: 20 } } })),
});

export const myTutorKey = ['tutors', 'mine'] as const;
export const myTutorQuery = () => queryOptions({
  queryKey: myTutorKey,
  queryFn: () => unwrap(matching().GET('/api/student/tutor')),
});

export async function requestTutor(tutorEmail: string, message: string) {
  return unwrap(matching().POST('/api/tutors/{tutor_email}/request',
    { params: { path: { tutor_email: tutorEmail } }, body: { message } }));
}

export async function cancelRequest(requestId: string) {
  return unwrap(matching().POST('/api/requests/{request_id}/cancel', { params: { path: { request_id: requestId } } }));
}
