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

export async function logIn(body: { email: string; password: string }) {
  const answer = await unwrap(identity().POST('/api/auth/login', { body }));
  auth().signIn({ ...answer, user: answer.user });
  return answer.user;
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
