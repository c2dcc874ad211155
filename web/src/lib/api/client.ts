// One typed client per service, from the types generated out of docs/api/*.json (never hand-written shapes).
import createClient from 'openapi-fetch';
import { AuthSession } from '../auth-session';
import { config } from '../config';
import { authFetch } from './auth-fetch';
import { ApiError, unwrap } from './errors';
import type { paths as ConversationPaths } from './generated/conversation';
import type { paths as IdentityPaths } from './generated/identity';
import type { paths as MatchingPaths } from './generated/matching';
import type { paths as NotificationsPaths } from './generated/notifications';
import type { paths as PracticePaths } from './generated/practice';
import type { IdentityAnswer } from './schemas';

let authSession: AuthSession | null = null;

async function refreshTokens(refreshToken: string) {
  const response = await fetch(`${config().services.identity}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw ApiError.fromBody(response.status, body);
  return body as IdentityAnswer<'TokensAnswer'>;
}

export function auth(): AuthSession {
  if (!authSession) authSession = new AuthSession(window.localStorage, refreshTokens);
  return authSession;
}

function clientFor<Paths extends object>(service: 'identity' | 'matching' | 'practice' | 'conversation' | 'notifications') {
  let made: ReturnType<typeof createClient<Paths>> | null = null;
  return () => {
    if (!made) made = createClient<Paths>({ baseUrl: config().services[service], fetch: authFetch(auth) });
    return made;
  };
}

export const identity = clientFor<IdentityPaths>('identity');
export const matching = clientFor<MatchingPaths>('matching');
export const practice = clientFor<PracticePaths>('practice');
export const conversation = clientFor<ConversationPaths>('conversation');
export const notifications = clientFor<NotificationsPaths>('notifications');
export { unwrap };

/** Upload a file with a presigned POST (S3): the fields first, the file last. */
export async function presignedPost(upload: { url: string; fields: Record<string, string> }, file: Blob,
  filename: string): Promise<void> {
  const form = new FormData();
  Object.entries(upload.fields).forEach(([k, v]) => form.append(k, v));
  form.append('file', file, filename);
  const response = await fetch(upload.url, { method: 'POST', body: form });
  if (!response.ok) throw new ApiError(response.status, 'UPLOAD_FAILED', `upload answered ${response.status}`);
}
