import { consentPending, type AuthSession } from '../auth-session';

/** A 403 that says a guardian's consent is missing: the token may predate the consent (its group is read from it). */
async function refusedForConsent(answer: Response): Promise<boolean> {
  if (answer.status !== 403) return false;
  try {
    return (await answer.clone().json())?.error === 'GUARDIAN_CONSENT_REQUIRED';
  } catch {
    return false;
  }
}

/** fetch with the session's bearer token; a 401 refreshes the token once and repeats the request. So does a 403
 * GUARDIAN_CONSENT_REQUIRED, when the refreshed token no longer carries the consent-pending group (the guardian
 * consented since the token was issued). */
export function authFetch(session: () => AuthSession, base: typeof fetch = (...a) => fetch(...a)) {
  return async (request: Request): Promise<Response> => {
    const auth = session();
    const token = await auth.accessToken();
    if (!token) return base(request);
    const retry = request.clone();
    const first = new Request(request);
    first.headers.set('Authorization', `Bearer ${token}`);
    const answer = await base(first);
    const consent = await refusedForConsent(answer);
    if (answer.status !== 401 && !consent) return answer;
    const fresh = await auth.refresh();
    if (!fresh || (consent && consentPending(fresh))) return answer;
    retry.headers.set('Authorization', `Bearer ${fresh}`);
    return base(retry);
  };
}
