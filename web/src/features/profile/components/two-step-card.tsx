import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNotice, Loading, TextField } from '@/components/ui';
import { isApiError } from '@/lib/api/errors';
import { twoStepApi, twoStepKey, type TwoStepApi, type TwoStepOn, type TwoStepSetup } from '../api/two-step';

/** "Two-step sign-in": set up an authenticator app (QR code, or the key typed in, then its first code; the recovery
 * codes are shown once after it), or turn it off with the password or a current code. ``recovered``: the person
 * just signed in with a recovery code, which turned it off; they are asked to set it up again. */
export function TwoStepCard({ api = twoStepApi, recovered = false }: { api?: TwoStepApi; recovered?: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // Read afresh on every visit: a recovery-code sign-in (or another device) may have turned it off meanwhile.
  const status = useQuery({ queryKey: twoStepKey, queryFn: api.status, refetchOnMount: 'always' });
  const [setup, setSetup] = useState<TwoStepSetup | null>(null);
  const [done, setDone] = useState<'on' | 'off' | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const changed = (enabled: boolean, on?: TwoStepOn) => {
    queryClient.setQueryData(twoStepKey, { enabled });
    setSetup(null);
    setDone(enabled ? 'on' : 'off');
    setCodes(on?.recoveryCodes ?? []);
  };
  const start = useMutation({ mutationFn: api.start, onSuccess: (s) => { setSetup(s); setDone(null); } });
  return (
    <Card title={t('twoStep.title')} className="two-step">
      {status.isPending && <Loading />}
      <ErrorNotice error={status.error ?? start.error} />
      {done && <p role="status" className="notice">{t(done === 'on' ? 'twoStep.turnedOn' : 'twoStep.turnedOff')}</p>}
      {recovered && !done && status.data?.enabled === false && (
        <p role="alert" className="notice notice-error">{t('twoStep.recoveredSetUpAgain')}</p>
      )}
      {codes.length > 0 && <RecoveryCodes codes={codes} onSaved={() => setCodes([])} />}
      {status.data?.enabled === false && !setup && (
        <>
          <p>{t('twoStep.off')}</p>
          <Button onClick={() => start.mutate()} busy={start.isPending}>{t('twoStep.start')}</Button>
        </>
      )}
      {status.data?.enabled === false && setup && (
        <SetupSteps setup={setup} confirm={api.confirm} onOn={(on) => changed(true, on)} />
      )}
      {status.data?.enabled && <TurnOff turnOff={api.turnOff} onOff={() => changed(false)} />}
    </Card>
  );
}

function SetupSteps({ setup, confirm, onOn }: {
  setup: TwoStepSetup; confirm: TwoStepApi['confirm']; onOn: (on: TwoStepOn) => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const check = useMutation({ mutationFn: () => confirm(code), onSuccess: onOn, onError: () => setCode('') });
  return (
    <div className="stack">
      <p>{t('twoStep.scan')}</p>
      <figure className="two-step-qr">
        <QRCodeSVG value={setup.otpauthUri} size={192} marginSize={2} role="img" aria-label={t('twoStep.qrLabel')}
          title={t('twoStep.qrLabel')} />
      </figure>
      <p>{t('twoStep.typeKey')} <code className="two-step-secret" data-testid="two-step-secret">{grouped(setup.secret)}</code></p>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); check.mutate(); }}>
        <p>{t('twoStep.enterFirst')}</p>
        <TextField label={t('twoStep.code')} inputMode="numeric" autoComplete="one-time-code" required maxLength={7}
          value={code} onChange={(e) => setCode(e.target.value)} />
        <ErrorNotice error={check.error} />
        <Button type="submit" busy={check.isPending}>{t('twoStep.turnOn')}</Button>
      </form>
    </div>
  );
}

function TurnOff({ turnOff, onOff }: { turnOff: TwoStepApi['turnOff']; onOff: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const off = useMutation({
    mutationFn: () => turnOff(password ? { password } : { code }),
    onSuccess: onOff,
  });
  const wrongPassword = isApiError(off.error) && off.error.code === 'PASSWORD_WRONG';
  return (
    <div className="stack">
      <p>{t('twoStep.on')}</p>
      {!open && <Button variant="secondary" onClick={() => setOpen(true)}>{t('twoStep.turnOff')}</Button>}
      {open && (
        <form className="stack" onSubmit={(e) => { e.preventDefault(); off.mutate(); }}>
          <p>{t('twoStep.offExplain')}</p>
          <TextField label={t('twoStep.password')} type="password" autoComplete="current-password" value={password}
            onChange={(e) => setPassword(e.target.value)} />
          <TextField label={t('twoStep.orCode')} inputMode="numeric" autoComplete="one-time-code" maxLength={7}
            value={code} onChange={(e) => setCode(e.target.value)} />
          {wrongPassword
            ? <div role="alert" className="notice notice-error">{t('twoStep.passwordWrong')}</div>
            : <ErrorNotice error={off.error} />}
          <div className="row wrap">
            <Button type="submit" variant="danger" busy={off.isPending} disabled={!password && !code}>
              {t('twoStep.confirmOff')}
            </Button>
            <Button variant="secondary" onClick={() => { setOpen(false); off.reset(); }}>{t('common.cancel')}</Button>
          </div>
        </form>
      )}
    </div>
  );
}

/** The recovery codes, shown this once: each signs in once without the phone (and turns two-step sign-in off). */
function RecoveryCodes({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(codes.join('\n'));
    setCopied(true);
  };
  return (
    <section className="stack two-step-recovery" aria-labelledby="recovery-codes-title">
      <h3 id="recovery-codes-title">{t('twoStep.recoveryTitle')}</h3>
      <p>{t('twoStep.recoveryExplain')}</p>
      <ol className="two-step-codes" data-testid="recovery-codes">
        {codes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ol>
      <div className="row wrap">
        <Button variant="secondary" onClick={() => void copy()}>{t(copied ? 'twoStep.copied' : 'twoStep.copy')}</Button>
        <Button onClick={onSaved}>{t('twoStep.saved')}</Button>
      </div>
    </section>
  );
}

/** The key as people type it: upper case, in groups of four (authenticator apps ignore the spaces). */
export function grouped(secret: string) {
  return secret.toUpperCase().replace(/=+$/, '').match(/.{1,4}/g)?.join(' ') ?? '';
}
