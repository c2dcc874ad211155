import { queryOptions } from '@tanstack/react-query';
import { matching, notifications, unwrap } from '@/lib/api/client';
import type { MatchingAnswer, NotificationsAnswer } from '@/lib/api/schemas';

export type Link = MatchingAnswer<'LinkAnswer'>;
export type Students = MatchingAnswer<'StudentsAnswer'>;
export type TutorProfile = MatchingAnswer<'TutorAnswer'>;
export type RequestPage = MatchingAnswer<'RequestPage'>;
export type MessageType = NotificationsAnswer<'FeedbackAnswer'>['messageType'];
export type FeedbackPage = NotificationsAnswer<'FeedbackPage'>;
/** The last score pushed per student (practice_result), kept beside the students list. */
export type LiveScores = Record<string, { overallScore: number; originalText: string; grade: string }>;

export const incomingKey = ['tutor', 'incoming'] as const;
export const incomingQuery = () => queryOptions({
  queryKey: incomingKey,
  queryFn: () => unwrap(matching().GET('/api/tutors/requests', { params: { query: { status: 'PENDING', limit: 50 } } })),
});

export const studentsKey = ['tutor', 'students'] as const;
export const studentsQuery = () => queryOptions({
  queryKey: studentsKey,
  queryFn: () => unwrap(matching().GET('/api/tutor/students')),
});
export const liveScoresKey = ['tutor', 'live-scores'] as const;

export const settingsKey = ['tutor', 'settings'] as const;
export const settingsQuery = () => queryOptions({
  queryKey: settingsKey,
  queryFn: () => unwrap(matching().GET('/api/tutor/settings')),
});

export const sentFeedbackQuery = (student: string) => queryOptions({
  queryKey: ['tutor', 'feedback', student],
  queryFn: () => unwrap(notifications().GET('/api/feedback', { params: { query: { studentEmail: student, limit: 20 } } })),
});

export async function approve(requestId: string) {
  return unwrap(matching().POST('/api/tutors/requests/{request_id}/approve', { params: { path: { request_id: requestId } } }));
}

export async function reject(requestId: string, reason: string) {
  return unwrap(matching().POST('/api/tutors/requests/{request_id}/reject',
    { params: { path: { request_id: requestId } }, body: { reason } }));
}

export async function saveSettings(body: { isAccepting?: boolean; maxStudents?: number }) {
  return unwrap(matching().PUT('/api/tutor/settings', { body }));
}

export async function sendFeedback(body: { studentEmail: string; message: string; messageType: MessageType }) {
  return unwrap(notifications().POST('/api/tutor/feedback', { body }));
}

/** A student_status_update frame applied to the cached students list. */
export function withStatus(list: Students | undefined, frame: { studentEmail?: unknown; room?: unknown;
  isLearning?: unknown; occurredAt?: unknown }): Students | undefined {
  if (!list) return list;
  return { students: list.students.map((s) => s.studentEmail === frame.studentEmail
    ? { ...s, room: (frame.room as string) ?? s.room, isLearning: Boolean(frame.isLearning),
      statusUpdatedAt: (frame.occurredAt as string) ?? s.statusUpdatedAt } : s) };
}

/** A child is named to their tutor by an opaque handle instead of the email (docs/children.md): not shown. */
export function isChildHandle(student: string) {
  return student.startsWith('child-') && !student.includes('@');
}

/** How the tutor's screens name a student: the name their students list holds (a child's first name only), else
 * an adult's email; undefined for a child not (or not yet) in the list, whose handle is never shown. */
export function studentLabel(student: string, students?: Students): string | undefined {
  const name = students?.students.find((s) => s.studentEmail === student)?.studentName;
  return name || (isChildHandle(student) ? undefined : student);
}
