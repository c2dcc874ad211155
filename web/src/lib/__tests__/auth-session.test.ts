import { authFetch } from '../api/auth-fetch';
import { AuthSession, REFRESH_MARGIN_MS, type FreshTokens } from '../auth-session';

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

function fakeTimers() {
  const pending: { fn: () => void; at: number }[] = [];
  return { pending, set: (fn: () => void, ms: number) => { pending.push({ fn, at: ms }); return pending.length - 1; },
    clear: (h: unknown) => { if (typeof h === 'number' && pending[h]) pending[h].fn = () => undefined; } };
}

const user = { email: 'a@example.com', name: 'A', role: 'student' as const };

function signedIn(refresher: (t: string) => Promise<FreshTokens>, now: { t: number }, storage = new MemoryStorage()) {
  const timers = fakeTimers();
  const session = new AuthSession(storage, refresher, () => now.t, timers);
  session.signIn({ accessToken: 'a1', idToken: 'i1', refreshToken: 'r1', expiresIn: 3600, user });
  return { session, timers, storage };
}

describe('the auth session', () => {
  it('survives a reload: a new session reads the stored tokens', () => {
    const now = { t: 0 };
    const { storage } = signedIn(async () => ({ accessToken: 'x', idToken: 'x', expiresIn: 1 }), now);
    const reloaded = new AuthSession(storage, async () => ({ accessToken: 'x', idToken: 'x', expiresIn: 1 }), () => now.t, fakeTimers());
    expect(reloaded.session?.user).toEqual(user);
    expect(reloaded.session?.accessToken).toBe('a1');
  });

  it('schedules a refresh one margin before expiry and uses the fresh token after it', async () => {
    const now = { t: 0 };
    const refresher = vi.fn(async () => ({ accessToken: 'a2', idToken: 'i2', expiresIn: 3600 }));
    const { session, timers } = signedIn(refresher, now);
    expect(timers.pending.at(-1)!.at).toBe(3600_000 - REFRESH_MARGIN_MS);
    expect(await session.accessToken()).toBe('a1');
    now.t = 3600_000 - REFRESH_MARGIN_MS + 1;
    expect(await session.accessToken()).toBe('a2');
    expect(refresher).toHaveBeenCalledWith('r1');
    expect(session.session?.refreshToken).toBe('r1');
  });

  it('shares one refresh between concurrent callers', async () => {
    const now = { t: 0 };
    let release!: (t: FreshTokens) => void;
    const refresher = vi.fn(() => new Promise<FreshTokens>((r) => { release = r; }));
    const { session } = signedIn(refresher, now);
    const both = Promise.all([session.refresh(), session.refresh()]);
    release({ accessToken: 'a2', idToken: 'i2', expiresIn: 3600 });
    expect(await both).toEqual(['a2', 'a2']);
    expect(refresher).toHaveBeenCalledTimes(1);
  });

  it('signs out when the refresh token is refused, but not on a network failure', async () => {
    const now = { t: 0 };
    const offline = signedIn(async () => { throw new TypeError('Failed to fetch'); }, now).session;
    expect(await offline.refresh()).toBeNull();
    expect(offline.session).not.toBeNull();
    const refused = signedIn(async () => { throw Object.assign(new Error('no'), { status: 401 }); }, now).session;
    const seen: unknown[] = [];
    refused.subscribe((s) => seen.push(s));
    expect(await refused.refresh()).toBeNull();
    expect(refused.session).toBeNull();
    expect(seen).toEqual([null]);
  });
});

describe('authFetch', () => {
  it('sends the bearer token, and on a 401 refreshes once and repeats the request', async () => {
    const now = { t: 0 };
    const { session } = signedIn(async () => ({ accessToken: 'a2', idToken: 'i2', expiresIn: 3600 }), now);
    const seen: string[] = [];
    const base = vi.fn(async (request: Request) => {
      seen.push(`${request.headers.get('Authorization')} ${await request.text()}`);
      return new Response('{}', { status: seen.length === 1 ? 401 : 200 });
    }) as unknown as typeof fetch;
    const answer = await authFetch(() => session, base)(new Request('http://x/api', { method: 'POST', body: 'hello' }));
    expect(answer.status).toBe(200);
    expect(seen).toEqual(['Bearer a1 hello', 'Bearer a2 hello']);
  });

  it('gives back the 401 when the refresh fails', async () => {
    const now = { t: 0 };
    const { session } = signedIn(async () => { throw Object.assign(new Error('no'), { status: 401 }); }, now);
    const base = vi.fn(async () => new Response('{}', { status: 401 })) as unknown as typeof fetch;
    expect((await authFetch(() => session, base)(new Request('http://x/api'))).status).toBe(401);
    expect(base).toHaveBeenCalledTimes(1);
    expect(session.session).toBeNull();
  });

  const jwt = (groups: string[]) => `h.${btoa(JSON.stringify({ 'cognito:groups': groups }))}.s`;
  const consentRefusal = () =>
    new Response(JSON.stringify({ error: 'GUARDIAN_CONSENT_REQUIRED', message: 'consent first' }), { status: 403 });

  it('after a guardian consented, a 403 GUARDIAN_CONSENT_REQUIRED refreshes the token and repeats the request', async () => {
    const now = { t: 0 };
    const fresh = jwt(['student']);
    const { session } = signedIn(async () => ({ accessToken: fresh, idToken: 'i2', expiresIn: 3600 }), now);
    const seen: string[] = [];
    const base = vi.fn(async (request: Request) => {
      seen.push(request.headers.get('Authorization') ?? '');
      return seen.length === 1 ? consentRefusal() : new Response('{}', { status: 200 });
    }) as unknown as typeof fetch;
    expect((await authFetch(() => session, base)(new Request('http://x/api'))).status).toBe(200);
    expect(seen).toEqual(['Bearer a1', `Bearer ${fresh}`]);
  });

  it('still waiting for consent, the 403 is given back without a second try', async () => {
    const now = { t: 0 };
    const { session } = signedIn(async () => ({ accessToken: jwt(['student', 'consent-pending']), idToken: 'i2', expiresIn: 3600 }), now);
    const base = vi.fn(async () => consentRefusal()) as unknown as typeof fetch;
    const answer = await authFetch(() => session, base)(new Request('http://x/api'));
    expect(answer.status).toBe(403);
    expect((await answer.json()).error).toBe('GUARDIAN_CONSENT_REQUIRED');
    expect(base).toHaveBeenCalledTimes(1);
  });

  it('another 403 is not a reason to refresh', async () => {
    const now = { t: 0 };
    const refresher = vi.fn(async () => ({ accessToken: 'a2', idToken: 'i2', expiresIn: 3600 }));
    const { session } = signedIn(refresher, now);
    const base = vi.fn(async () => new Response(JSON.stringify({ error: 'FORBIDDEN' }), { status: 403 })) as unknown as typeof fetch;
    expect((await authFetch(() => session, base)(new Request('http://x/api'))).status).toBe(403);
    expect(refresher).not.toHaveBeenCalled();
  });
});
