import { queryOptions } from '@tanstack/react-query';
import { auth } from '@/lib/api/client';
import { authFetch } from '@/lib/api/auth-fetch';
import { ApiError } from '@/lib/api/errors';
import { uploadRecording } from '@/lib/api/recordings';
import { config } from '@/lib/config';
import type { Ended, Hint, ReplyStatus, Scenario, Sent, Started, Summary, Transcript } from './contract';

const send = authFetch(auth);

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await send(new Request(`${config().services.conversation}${path}`, {
      method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) }));
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw ApiError.fromBody(response.status, answer);
  return answer as T;
}

export const scenariosQuery = () => queryOptions({
  queryKey: ['conversation', 'scenarios'],
  queryFn: () => call<{ scenarios: Scenario[] }>('GET', '/api/ai/scenarios'),
  staleTime: 60 * 60_000,
});

export const conversationsQuery = (student?: string) => queryOptions({
  queryKey: ['conversation', 'list', student ?? 'me'],
  queryFn: () => call<{ conversations: Summary[]; cursor: string | null }>('GET',
    `/api/ai/chat${student ? `?studentEmail=${encodeURIComponent(student)}` : ''}`),
});

export const transcriptQuery = (conversationId: string) => queryOptions({
  queryKey: ['conversation', 'transcript', conversationId],
  queryFn: () => call<Transcript>('GET', `/api/ai/chat/${encodeURIComponent(conversationId)}`),
});

export const replyQuery = (requestId: string) => queryOptions({
  queryKey: ['conversation', 'reply', requestId],
  queryFn: () => call<ReplyStatus>('GET', `/api/ai/chat/status/${encodeURIComponent(requestId)}`),
});

export const startConversation = (scenarioId: string, difficulty: string) =>
  call<Started>('POST', '/api/ai/chat/start', { scenarioId, difficulty });

/** Say something: typed text, or a recording uploaded first (the same presigned slot practice uses). */
export async function sendTurn(conversationId: string, turn: { text?: string; take?: { blob: Blob; contentType: string } }) {
  const audioKey = turn.take ? await uploadRecording(turn.take) : undefined;
  return call<Sent>('POST', '/api/ai/chat/message', { conversationId, userMessage: turn.text || undefined, audioKey });
}

export const askHint = (conversationId: string) => call<Hint>('POST', `/api/ai/chat/${encodeURIComponent(conversationId)}/hint`);
export const endConversation = (conversationId: string) =>
  call<Ended>('POST', `/api/ai/chat/${encodeURIComponent(conversationId)}/end`);
