import { auth, identity, unwrap } from '@/lib/api/client';
import type { IdentityAnswer } from '@/lib/api/schemas';

export type Profile = IdentityAnswer<'ProfileAnswer'>;
export type RoleChoice = 'student' | 'tutor';

export async function signUp(body: { email: string; password: string; name: string; role: RoleChoice }) {
  return unwrap(identity().POST('/api/auth/register', { body }));
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
