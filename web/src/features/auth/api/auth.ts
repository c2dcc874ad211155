import { auth, identity, unwrap } from '@/lib/api/client';
import type { IdentityAnswer } from '@/lib/api/schemas';

export type Profile = IdentityAnswer<'ProfileAnswer'>;
export type RoleChoice = 'student' | 'tutor';

export type SignUp = {
  email: string; password: string; name: string; role: RoleChoice; birthYear: number; guardianEmail?: string;
};

export async function signUp(body: SignUp) {
  return unwrap(identity().POST('/api/auth/register', { body }));
}

/** The consent age (PIPA: 14) read as identity reads it: the youngest age a birth year allows. */
export const CONSENT_AGE = 14;
export function needsGuardian(role: RoleChoice, birthYear: number, thisYear = new Date().getFullYear()) {
  return role === 'student' && Number.isFinite(birthYear) && thisYear - birthYear - 1 < CONSENT_AGE;
}

export type ConsentAsk = IdentityAnswer<'ConsentRequestAnswer'>;

export async function consentRequest(token: string) {
  return unwrap(identity().POST('/api/guardian-consent/request', { body: { token } }));
}

export async function withdrawConsent(token: string) {
  return unwrap(identity().POST('/api/guardian-consent/withdraw', { body: { token } }));
}

export async function decideConsent(token: string, decision: 'consent' | 'refuse') {
  return unwrap(identity().POST('/api/guardian-consent', { body: { token, decision } }));
}

export async function confirmEmail(body: { email: string; code: string }) {
  return unwrap(identity().POST('/api/auth/confirm', { body }));
}

export async function resendCode(email: string) {
  return unwrap(identity().POST('/api/auth/resend-code', { body: { email } }));
}

/** The password was right and the account asks for its authenticator app's code (two-step sign-in). */
export type MfaChallenge = IdentityAnswer<'MfaRequiredAnswer'>;
type Signed = IdentityAnswer<'LoginAnswer'>;

function signedIn(answer: Signed) {
  auth().signIn({ ...answer, user: answer.user });
  return answer.user;
}

/** Signs in, or answers the challenge the code step must finish (`answerMfa`). */
export type LoginOutcome = { mfa: MfaChallenge } | { user: Signed['user'] };

export async function logIn(body: { email: string; password: string }): Promise<LoginOutcome> {
  const answer = await unwrap(identity().POST('/api/auth/login', { body }));
  if ('mfaRequired' in answer) return { mfa: answer as MfaChallenge };
  return { user: signedIn(answer as Signed) };
}

export async function answerMfa(challenge: MfaChallenge, code: string) {
  const body = { email: challenge.email, session: challenge.session, code };
  return signedIn(await unwrap(identity().POST('/api/auth/login/mfa', { body })));
}

/** The phone is lost: the password and one recovery code sign in, and two-step sign-in is turned off. */
export async function recoverWithCode(body: { email: string; password: string; recoveryCode: string }) {
  const answer = await unwrap(identity().POST('/api/auth/login/recovery', { body }));
  return signedIn(answer);
}

export async function forgotPassword(email: string) {
  return unwrap(identity().POST('/api/auth/forgot-password', { body: { email } }));
}

export async function resetPassword(body: { email: string; code: string; newPassword: string }) {
  return unwrap(identity().POST('/api/auth/reset-password', { body }));
}

export async function logOut() {
  try {
    await unwrap(identity().POST('/api/auth/logout'));
  } finally {
    auth().signOut();
  }
}
