import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ConfirmForm, ForgotForm, GuardianConsent, GuardianWithdraw, LoginForm, ResetForm, SignupForm } from '@/features/auth';
import { config } from '@/lib/config';

export function LoginRoute() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <>
      {params.get('confirmed') && <p role="status" className="notice">{t('auth.confirmedNotice')}</p>}
      <LoginForm />
    </>
  );
}

export function SignupRoute() {
  return <SignupForm />;
}

export function ConfirmRoute() {
  const mailbox = config().devMailbox;
  return <ConfirmForm mailboxUrl={mailbox ? (email) => `${mailbox}?to=${encodeURIComponent(email)}` : undefined} />;
}

export function ForgotRoute() {
  return <ForgotForm />;
}

export function ResetRoute() {
  return <ResetForm />;
}

export function ConsentRoute() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return <GuardianConsent token={token} />;
}

export function WithdrawRoute() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return <GuardianWithdraw token={token} />;
}
