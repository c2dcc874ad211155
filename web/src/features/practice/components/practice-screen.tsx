import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNotice, Select, TextArea } from '@/components/ui';
import { useLiveFrame } from '@/lib/live';
import { endSession, generateSentences, LEVELS, reportStatus, startSession, TOPICS, ttsJobQuery,
  type GeneratedSentence, type TtsJob } from '../api/practice';
import { Recorder } from './recorder';

/** While the practice screen is open the student is in a session and their tutor sees them practising. */
function usePracticeSession(): string | undefined {
  const [sessionId, setSessionId] = useState<string>();
  useEffect(() => {
    let id: string | undefined;
    let left = false;
    startSession().then((s) => {
      id = s.sessionId;
      if (left) void endSession(id).catch(() => undefined);
      else setSessionId(id);
    }, () => undefined);
    void reportStatus('practice', true).catch(() => undefined);
    return () => {
      left = true;
      if (id) void endSession(id).catch(() => undefined);
      void reportStatus('practice', false).catch(() => undefined);
    };
  }, []);
  return sessionId;
}

function NativeVoice({ sentence }: { sentence: GeneratedSentence }) {
  const { t } = useTranslation();
  const job = useQuery({ ...ttsJobQuery(sentence.jobId) });
  const status = job.data?.status ?? sentence.audioStatus;
  if (status === 'COMPLETED' && job.data?.audioUrl) {
    return <audio controls preload="none" src={job.data.audioUrl} aria-label={t('practice.nativeVoice')} />;
  }
  if (status === 'FAILED') return <span className="muted">{t('practice.voiceFailed')}</span>;
  return <span className="muted" role="status">{t('practice.voicePreparing')}</span>;
}

function SentenceCard({ sentence, sessionId }: { sentence: GeneratedSentence; sessionId?: string }) {
  const job = useQuery({ ...ttsJobQuery(sentence.jobId) });
  return (
    <li className="sentence card">
      <p className="english" lang="en">{sentence.english}</p>
      <p className="korean" lang="ko">{sentence.korean}</p>
      <NativeVoice sentence={sentence} />
      <Recorder text={sentence.english} sessionId={sessionId} nativeUrl={job.data?.audioUrl ?? undefined} />
    </li>
  );
}

export function PracticeScreen() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessionId = usePracticeSession();
  const [level, setLevel] = useState<string>('beginner');
  const [topic, setTopic] = useState<string>('daily');
  const [own, setOwn] = useState('');
  const [ownSentence, setOwnSentence] = useState<string | null>(null);
  const generate = useMutation({ mutationFn: () => generateSentences({ difficulty: level, topic, sessionId }) });
  const listRef = useRef<HTMLHeadingElement>(null);

  // The native voice is ready when tts_ready is pushed: the job's status (with its audio link) is read once then.
  useLiveFrame('tts_ready', (frame) => {
    const queryKey = ttsJobQuery(String(frame.jobId)).queryKey;
    queryClient.setQueryData<TtsJob>(queryKey, (old) => (old ? { ...old, status: frame.status as TtsJob['status'] } : old));
    // A first read still in flight may have started before the job finished: cancel it and read again.
    void queryClient.cancelQueries({ queryKey }).then(() => queryClient.refetchQueries({ queryKey }));
  });

  useEffect(() => {
    if (generate.data) listRef.current?.focus();
  }, [generate.data]);

  const submitOwn = (e: FormEvent) => {
    e.preventDefault();
    const text = own.trim();
    if (text) setOwnSentence(text);
  };

  return (
    <div className="stack">
      <h1>{t('practice.title')}</h1>
      <Card title={t('practice.chooseTitle')}>
        <div className="row wrap">
          <Select label={t('practice.level')} value={level} onChange={(e) => setLevel(e.target.value)}>
            {LEVELS.map((l) => <option key={l} value={l}>{t(`practice.levels.${l}`)}</option>)}
          </Select>
          <Select label={t('practice.topic')} value={topic} onChange={(e) => setTopic(e.target.value)}>
            {TOPICS.map((k) => <option key={k} value={k}>{t(`practice.topics.${k}`)}</option>)}
          </Select>
          <Button onClick={() => generate.mutate()} busy={generate.isPending}>{t('practice.generate')}</Button>
        </div>
        <ErrorNotice error={generate.error} />
        <form onSubmit={submitOwn} className="own-sentence">
          <TextArea label={t('practice.ownSentence')} rows={2} lang="en" maxLength={300} value={own}
            onChange={(e) => setOwn(e.target.value)} />
          <Button type="submit" variant="secondary" disabled={!own.trim()}>{t('practice.useOwn')}</Button>
        </form>
      </Card>
      {ownSentence && (
        <Card title={t('practice.ownTitle')}>
          <p className="english" lang="en">{ownSentence}</p>
          <Recorder key={ownSentence} text={ownSentence} sessionId={sessionId} />
        </Card>
      )}
      {generate.data && (
        <section aria-labelledby="sentences-title">
          <h2 id="sentences-title" tabIndex={-1} ref={listRef}>{t('practice.sentences')}</h2>
          {generate.data.notice && <p className="notice">{t('practice.bankNotice')}</p>}
          <ol className="sentences">
            {generate.data.sentences.map((s) => <SentenceCard key={s.jobId} sentence={s} sessionId={sessionId} />)}
          </ol>
        </section>
      )}
    </div>
  );
}
