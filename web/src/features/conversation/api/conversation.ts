import { queryOptions } from '@tanstack/react-query';
import { conversation, unwrap } from '@/lib/api/client';
import { uploadRecording } from '@/lib/api/recordings';
import type { ConversationAnswer } from '@/lib/api/schemas';

export type Scenario = ConversationAnswer<'ScenarioOut'>;
export type Started = ConversationAnswer<'StartAnswer'>;
export type ReplyStatus = ConversationAnswer<'StatusAnswer'>;
export type TurnFeedback = ConversationAnswer<'FeedbackOut'>;
export type Transcript = ConversationAnswer<'TranscriptAnswer'>;
export type Report = ConversationAnswer<'ReportOut'>;

export const scenariosQuery = () => queryOptions({
  queryKey: ['conversation', 'scenarios'],
  queryFn: () => unwrap(conversation().GET('/api/ai/scenarios', { params: { query: {} } })),
  staleTime: 60 * 60_000,
});

/** `student` is set when a tutor reads one of their students. */
export const conversationsQuery = (student?: string) => queryOptions({
  queryKey: ['conversation', 'list', student ?? 'me'],
  queryFn: () => unwrap(conversation().GET('/api/ai/chat', {
    params: { query: student ? { studentEmail: student } : {} } })),
});

export const transcriptQuery = (conversationId: string) => queryOptions({
  queryKey: ['conversation', 'transcript', conversationId],
  queryFn: () => unwrap(conversation().GET('/api/ai/chat/{conversationId}', { params: { path: { conversationId } } })),
});

export const replyQuery = (requestId: string) => queryOptions({
  queryKey: ['conversation', 'reply', requestId],
  queryFn: () => unwrap(conversation().GET('/api/ai/chat/status/{requestId}', { params: { path: { requestId } } })),
});

export const startConversation = (scenarioId: string, difficulty: string) =>
  unwrap(conversation().POST('/api/ai/chat/start', { body: { scenarioId, difficulty } }));

/** Say something: typed text, or a recording uploaded first (the same presigned slot practice uses). */
export async function sendTurn(conversationId: string, turn: { text?: string; take?: { blob: Blob; contentType: string } }) {
  const audioKey = turn.take ? await uploadRecording(turn.take) : undefined;
  return unwrap(conversation().POST('/api/ai/chat/message', {
    body: { conversationId, userMessage: turn.text || undefined, audioKey } }));
}

export const askHint = (conversationId: string) =>
  unwrap(conversation().POST('/api/ai/chat/{conversationId}/hint', { params: { path: { conversationId } } }));

export const endConversation = (conversationId: string) =>
  unwrap(conversation().POST('/api/ai/chat/{conversationId}/end', { params: { path: { conversationId } } }));

export type ScenarioImage = ConversationAnswer<'ScenarioImageAnswer'>;

/** The scenario's picture: a presigned URL, re-asked before it expires (the picture itself is made once). */
export const scenarioImageQuery = (scenarioId: string) => queryOptions({
  queryKey: ['conversation', 'scenario-image', scenarioId],
  queryFn: () => unwrap(conversation().GET('/api/ai/scenarios/{scenarioId}/image', { params: { path: { scenarioId } } })),
  staleTime: 10 * 60_000, // the URL is valid for 15 minutes
  retry: 1,
});
