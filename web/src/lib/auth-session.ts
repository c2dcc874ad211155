// The signed-in session: tokens kept across reloads (localStorage), the access token refreshed shortly before
// it expires and again when a service answers 401. Concurrent callers share one refresh.
export type Role = 'student' | 'tutor';
export type SessionUser = { email: string; name: string; role: Role };
export type Session = {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresAt: number; // epoch ms
  user: SessionUser;
};
export type FreshTokens = { accessToken: string; idToken: string; expiresIn: number };
export type Refresher = (refreshToken: string) => Promise<FreshTokens>;

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;
const KEY = 'speaktracker.session';

type Timers = { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };

export class AuthSession {
  private current: Session | null;
  private inFlight: Promise<string | null> | null = null;
  private listeners = new Set<(s: Session | null) => void>();
  private timer: unknown = null;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly refresher: Refresher,
    private readonly now: () => number = Date.now,
    private readonly timers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) },
  ) {
    this.current = AuthSession.read(storage);
    this.schedule();
  }

  private static read(storage: Pick<Storage, 'getItem'>): Session | null {
    try {
      const raw = storage.getItem(KEY);
      const parsed = raw ? (JSON.parse(raw) as Session) : null;
      return parsed?.refreshToken && parsed.user ? parsed : null;
    } catch {
      return null;
    }
  }

  get session(): Session | null {
    return this.current;
  }

  subscribe(listener: (s: Session | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(tokens: FreshTokens & { refreshToken: string; user: SessionUser }): void {
    this.replace({
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.now() + tokens.expiresIn * 1000,
      user: tokens.user,
    });
  }

  updateUser(user: Partial<SessionUser>): void {
    if (this.current) this.replace({ ...this.current, user: { ...this.current.user, ...user } });
  }

  signOut(): void {
    this.replace(null);
  }

  /** A valid access token: the stored one, or a fresh one when it is about to expire. */
  async accessToken(): Promise<string | null> {
    if (!this.current) return null;
    if (this.current.expiresAt - this.now() > REFRESH_MARGIN_MS) return this.current.accessToken;
    return this.refresh();
  }

  /** Exchange the refresh token for a new access token (one request however many callers ask at once).
   * A refused refresh token ends the session; a network failure keeps it for the next try. */
  refresh(): Promise<string | null> {
    const session = this.current;
    if (!session) return Promise.resolve(null);
    if (!this.inFlight) {
      this.inFlight = this.refresher(session.refreshToken)
        .then((fresh) => {
          if (this.current?.refreshToken !== session.refreshToken) return this.current?.accessToken ?? null;
          this.replace({ ...session, accessToken: fresh.accessToken, idToken: fresh.idToken,
            expiresAt: this.now() + fresh.expiresIn * 1000 });
          return fresh.accessToken;
        })
        .catch((error: unknown) => {
          const status = (error as { status?: number }).status;
          if (status === 400 || status === 401 || status === 403) this.signOut();
          return null;
        })
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }

  private replace(next: Session | null): void {
    this.current = next;
    if (next) this.storage.setItem(KEY, JSON.stringify(next));
    else this.storage.removeItem(KEY);
    this.schedule();
    this.listeners.forEach((l) => l(next));
  }

  private schedule(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    if (!this.current) return;
    const wait = Math.max(0, this.current.expiresAt - this.now() - REFRESH_MARGIN_MS);
    this.timer = this.timers.set(() => void this.refresh(), wait);
  }
}

/** Whether the access token says a guardian has not consented yet (the services decide by the same group;
 *  a refresh after consent gives a token without it). */
export function consentPending(accessToken: string | undefined): boolean {
  const payload = accessToken?.split('.')[1];
  if (!payload) return false;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return Array.isArray(claims['cognito:groups']) && claims['cognito:groups'].includes('consent-pending');
  } catch {
    return false;
  }
}
