import { identity, unwrap } from '@/lib/api/client';
import type { IdentityAnswer } from '@/lib/api/schemas';

export type TwoStepSetup = IdentityAnswer<'MfaSetupAnswer'>;
export const twoStepKey = ['profile', 'two-step'] as const;

/** Whether signing in asks for an authenticator app's code. */
export async function twoStepStatus() {
  return unwrap(identity().GET('/api/users/me/mfa'));
}

/** A new secret for the authenticator app: its key URI (the QR code) and the key to type. */
export async function startTwoStep(): Promise<TwoStepSetup> {
  return unwrap(identity().POST('/api/users/me/mfa/setup'));
}

/** The app's first code turns it on; the answer carries the recovery codes, shown this once. */
export type TwoStepOn = IdentityAnswer<'MfaOnAnswer'>;
export async function confirmTwoStep(code: string): Promise<TwoStepOn> {
  return unwrap(identity().POST('/api/users/me/mfa/verify', { body: { code } }));
}

/** Turning it off takes the password or a current code. */
export async function turnOffTwoStep(proof: { password?: string; code?: string }) {
  return unwrap(identity().DELETE('/api/users/me/mfa', { body: proof }));
}

export type TwoStepApi = {
  status: typeof twoStepStatus; start: typeof startTwoStep; confirm: typeof confirmTwoStep;
  turnOff: typeof turnOffTwoStep;
};
export const twoStepApi: TwoStepApi = {
  status: twoStepStatus, start: startTwoStep, confirm: confirmTwoStep, turnOff: turnOffTwoStep,
};
