import { queryOptions } from '@tanstack/react-query';
import { matching, practice, unwrap } from '@/lib/api/client';
import { uploadRecording } from '@/lib/api/recordings';
import type { PracticeAnswer } from '@/lib/api/schemas';

export type GeneratedSentences = PracticeAnswer<'GeneratedSentences'>;
export type GeneratedSentence = PracticeAnswer<'GeneratedSentence'>;
export type Evaluation = PracticeAnswer<'EvaluationAnswer'>;
export type WordResult = Evaluation['words'][number];
export type TtsJob = PracticeAnswer<'TtsJobAnswer'>;

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export const TOPICS = ['daily', 'travel', 'food', 'shopping', 'work', 'school', 'health', 'hobbies'] as const;

export async function startSession() {
  return unwrap(practice().POST('/api/sessions/start', { body: { sessionType: 'practice' } }));
}

export async function endSession(sessionId: string) {
  return unwrap(practice().POST('/api/sessions/end', { body: { sessionId } }));
}

export async function generateSentences(body: { difficulty: string; topic: string; sessionId?: string }) {
  return unwrap(practice().POST('/api/sentences/generate', { body: { ...body, count: 5 } }));
}

export const ttsJobQuery = (jobId: string) => queryOptions({
  queryKey: ['tts', jobId],
  queryFn: () => unwrap(practice().GET('/api/tts/status/{jobId}', { params: { path: { jobId } } })),
  staleTime: 5 * 60_000,
});

/** Upload the take by presigned POST, then ask for its assessment. */
export async function evaluateTake(take: { blob: Blob; contentType: string }, originalText: string,
  sessionId: string | undefined, uploaded: () => void): Promise<Evaluation> {
  const audioKey = await uploadRecording(take);
  uploaded();
  return unwrap(practice().POST('/api/stt/evaluate', {
    body: { audioKey, originalText, sessionId } as never,
    headers: { 'Content-Type': 'application/json' },
  })) as Promise<Evaluation>;
}

/** Where the student is, for their tutor's live view. */
export async function reportStatus(room: string, isLearning: boolean) {
  return unwrap(matching().POST('/api/student-status', { body: { room, isLearning } }));
}
