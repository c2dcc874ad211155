import type { AuthSession } from '../auth-session';

/** fetch with the session's bearer token; a 401 refreshes the token once and repeats the request. */
export function authFetch(session: () => AuthSession, base: typeof fetch = (...a) => fetch(...a)) {
  return async (request: Request): Promise<Response> => {
    const auth = session();
    const token = await auth.accessToken();
    if (!token) return base(request);
    const retry = request.clone();
    const first = new Request(request);
    first.headers.set('Authorization', `Bearer ${token}`);
    const answer = await base(first);
    if (answer.status !== 401) return answer;
    const fresh = await auth.refresh();
    if (!fresh) return answer;
    retry.headers.set('Authorization', `Bearer ${fresh}`);
    return base(retry);
  };
}
