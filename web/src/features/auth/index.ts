export { GuardianConsent } from './components/guardian-consent';
export { GuardianWithdraw } from './components/guardian-withdraw';
export { ConfirmForm, ForgotForm, LoginForm, ResetForm, SignupForm } from './components/auth-forms';
export { useSession } from './hooks/use-session';
export { logOut } from './api/auth';
export { CONSENT_BANNER_ID, ConsentNote, useConsentBlock } from './hooks/use-consent-block';
