import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorNotice } from '@/components/ui';
import { MicIcon, StopIcon } from '@/components/ui/icons';
import { evaluateTake, type Evaluation } from '../api/practice';
import { ConsentNote, useConsentBlock } from '@/features/auth';
import { MAX_RECORDING_MS } from '@/lib/recording/recording-machine';
import { useRecorder, type Take } from '@/lib/recording/use-recorder';
import { ResultView } from './result-view';

export function Recorder({ text, sessionId, nativeUrl }: { text: string; sessionId?: string; nativeUrl?: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<{ evaluation: Evaluation; take: Take } | null>(null);
  const onTake = useCallback(async (take: Take, progress: { uploaded: () => void }) => {
    const evaluation = await evaluateTake(take, text, sessionId, progress.uploaded);
    setResult({ evaluation, take });
    // A new result changes the statistics, the streak and the results list.
    void queryClient.invalidateQueries({ queryKey: ['progress'] });
  }, [text, sessionId, queryClient]);
  const { state, start, stop, reset } = useRecorder(onTake);
  // A child waiting for a guardian's consent cannot record (practice answers 403 GUARDIAN_CONSENT_REQUIRED).
  const consent = useConsentBlock();
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (state.phase !== 'recording') return;
    const timer = setInterval(() => setElapsed(performance.now() - state.startedAt), 200);
    return () => clearInterval(timer);
  }, [state]);
  const busy = state.phase === 'uploading' || state.phase === 'scoring' || state.phase === 'requesting';
  const retry = () => {
    setResult(null);
    reset();
  };
  if (result && state.phase === 'scored') {
    return <ResultView result={result.evaluation} clipUrl={result.take.url} nativeUrl={nativeUrl} onRetry={retry} />;
  }
  return (
    <div className="recorder">
      {state.phase === 'recording' ? (
        <>
          <Button variant="danger" onClick={stop}><StopIcon />{t('practice.stop')}</Button>
          <div className="meter" role="meter" aria-label={t('practice.meter')} aria-valuemin={0} aria-valuemax={100}
            aria-valuenow={Math.round(Math.min(1, state.level * 4) * 100)}>
            <div style={{ width: `${Math.min(1, state.level * 4) * 100}%` }} />
          </div>
          <span className="timer" aria-live="off">
            {Math.floor(elapsed / 1000)} / {MAX_RECORDING_MS / 1000}s
          </span>
        </>
      ) : (
        <Button onClick={() => void start()} busy={busy} disabled={consent.blocked} {...consent.describe}>
          <MicIcon />{state.phase === 'error' ? t('practice.recordAgain') : t('practice.record')}
        </Button>
      )}
      <ConsentNote />
      <span role="status" className="recorder-status">
        {state.phase === 'requesting' && t('practice.phase.requesting')}
        {state.phase === 'recording' && t('practice.phase.recording')}
        {state.phase === 'uploading' && t('practice.phase.uploading')}
        {state.phase === 'scoring' && t('practice.phase.scoring')}
      </span>
      {state.phase === 'error' && (state.error === 'failed'
        ? <ErrorNotice error={state.detail ?? new Error('UNKNOWN')} />
        : <div role="alert" className="notice notice-error">{t(`practice.errors.${state.error}`)}</div>)}
    </div>
  );
}
