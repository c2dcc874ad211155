import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useReducer, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Button, Card, Empty, ErrorNotice, Loading, Select, TextField } from '@/components/ui';
import { MicIcon, PlayIcon } from '@/components/ui/icons';
import { useErrorText } from '@/components/ui';
import { ConsentNote, useConsentBlock } from '@/features/auth';
import { isApiError } from '@/lib/api/errors';
import { useLiveFrame } from '@/lib/live';
import { useRecorder, type Take } from '@/lib/recording/use-recorder';
import { askHint, conversationsQuery, endConversation, replyQuery, scenariosQuery, sendTurn, startConversation,
  transcriptQuery } from '../api/conversation';
import type { ReplyStatus, Report, TurnFeedback } from '../api/conversation';
import { chatReducer, emptyChat, type Bubble } from '../chat-log';
import { ScenarioPicture } from './scenario-picture';

const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
/** Milliseconds before each re-read of a turn whose feedback is not written yet (about two minutes in all). */
const FEEDBACK_READS = [3_000, 6_000, 12_000, 24_000, 48_000];

export function ConversationList({ student, linkTo }: { student?: string; linkTo: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const list = useQuery(conversationsQuery(student));
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorNotice error={list.error} />;
  if (!list.data.conversations.length) return <Empty>{t('conversation.none')}</Empty>;
  return (
    <ul className="results">
      {list.data.conversations.map((c) => (
        <li key={c.conversationId}>
          <Link to={linkTo(c.conversationId)}>{i18n.language === 'en' ? c.title.en : c.title.ko}</Link>
          <span className="pill">{t(c.status === 'ENDED' ? 'conversation.ended' : 'conversation.active')}</span>
          <small>{t('conversation.turns', { count: c.turnCount, limit: c.turnLimit })}</small>
          <time dateTime={c.startedAt}>{new Date(c.startedAt).toLocaleString(i18n.language)}</time>
        </li>
      ))}
    </ul>
  );
}

export function ScenarioPicker() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('beginner');
  const scenarios = useQuery(scenariosQuery());
  const start = useMutation({
    mutationFn: (scenarioId: string) => startConversation(scenarioId, level),
    // The partner speaks first: the chat plays the opener's voice once it is shown.
    onSuccess: (started) => navigate(`/conversation/${encodeURIComponent(started.conversationId)}`,
      { state: { openerAudio: started.audioUrl } }),
  });
  const ko = i18n.language !== 'en';
  // Conversation answers 403 GUARDIAN_CONSENT_REQUIRED to a child whose guardian has not consented yet.
  const consent = useConsentBlock();
  return (
    <div className="stack">
      <h1>{t('conversation.title')}</h1>
      <Card title={t('conversation.pick')}>
        <ConsentNote />
        <Select label={t('practice.level')} value={level} onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}>
          {LEVELS.map((l) => <option key={l} value={l}>{t(`practice.levels.${l}`)}</option>)}
        </Select>
        <ErrorNotice error={start.error ?? scenarios.error} />
        {scenarios.isPending ? <Loading /> : (
          <ul className="scenario-list">
            {scenarios.data?.scenarios.filter((s) => s.levels.includes(level)).map((s) => (
              <li key={s.scenarioId} className="card">
                <ScenarioPicture scenarioId={s.scenarioId} />
                <h3>{ko ? s.title.ko : s.title.en}</h3>
                <p className="muted">{t('conversation.roles', { ai: ko ? s.aiRole.ko : s.aiRole.en, me: ko ? s.learnerRole.ko : s.learnerRole.en })}</p>
                <p className="muted">{ko ? s.situation.ko : s.situation.en}</p>
                <p className="scenario-goals-label">{t('conversation.goalsToDo')}</p>
                <ul className="goals">{s.goals.map((g) => <li key={g.goalId}>{ko ? g.ko : g.en}</li>)}</ul>
                <Button onClick={() => start.mutate(s.scenarioId)} busy={start.isPending && start.variables === s.scenarioId}
                  disabled={consent.blocked} {...consent.describe} aria-label={t('conversation.startNamed', { title: ko ? s.title.ko : s.title.en })}>
                  {t('conversation.start')}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('conversation.past')}>
        <ConversationList linkTo={(id) => `/conversation/${encodeURIComponent(id)}`} />
      </Card>
    </div>
  );
}

function AiBubble({ bubble, showKo }: { bubble: Extract<Bubble, { kind: 'ai' }>; showKo: boolean }) {
  const { t } = useTranslation();
  return (
    <li className="bubble bubble-ai">
      <p lang="en">{bubble.en}</p>
      {showKo && bubble.ko && <p lang="ko" className="muted">{bubble.ko}</p>}
      {bubble.audioUrl && (
        <button type="button" className="btn btn-ghost" onClick={() => void new Audio(bubble.audioUrl!).play()}>
          <PlayIcon />{t('conversation.listen')}
        </button>
      )}
    </li>
  );
}

export function MyBubble({ bubble, onRetry }: { bubble: Extract<Bubble, { kind: 'me' }>; onRetry?: () => void }) {
  const { t } = useTranslation();
  const corrections = bubble.feedback?.corrections ?? [];
  const said = bubble.text ? <p lang="en">{bubble.text}</p>
    : bubble.spoken ? <p className="muted">{t(bubble.state === 'failed' ? 'conversation.voiceNotHeard' : 'conversation.voiceSent')}</p> : null;
  return (
    <li className={`bubble bubble-me ${bubble.state === 'failed' ? 'bubble-failed' : ''}`}>
      {said}
      {bubble.state === 'failed' && (
        <div role="alert" className="turn-failed">
          <p className="field-error">{bubble.reasonCode
            ? t(`conversation.failed.${bubble.reasonCode}`, { defaultValue: bubble.reason ?? t('errors.UNKNOWN') })
            : bubble.reason ?? t('errors.UNKNOWN')}</p>
          {onRetry && <Button variant="secondary" onClick={onRetry}>{t('conversation.sendAgain')}</Button>}
        </div>
      )}
      {bubble.feedback?.status === 'READY' && (
        <details data-testid="turn-feedback">
          <summary>{corrections.length ? t('conversation.corrections', { count: corrections.length }) : t('conversation.feedback')}</summary>
          {corrections.length === 0 && !bubble.feedback.unclearWords?.length && <p>{t('conversation.noCorrections')}</p>}
          {!!bubble.feedback.unclearWords?.length && (
            <p>{t('conversation.unclearWords')}: <span lang="en">{bubble.feedback.unclearWords.join(', ')}</span></p>
          )}
          <ul>
            {corrections.map((c, i) => (
              <li key={i}><s lang="en">{c.original}</s> → <strong lang="en">{c.corrected}</strong><br /><small>{c.explanationKo}</small></li>
            ))}
          </ul>
          {bubble.feedback.betterPhrasing && <p>{t('conversation.better')}: <span lang="en">{bubble.feedback.betterPhrasing}</span></p>}
          {bubble.feedback.pronunciation && (
            <p>{t('conversation.pronunciation', { score: Math.round(bubble.feedback.pronunciation.overallScore) })}
              {bubble.feedback.pronunciation.weakestSounds.length > 0 && ` · ${t('conversation.weakest')}: ${bubble.feedback.pronunciation.weakestSounds
                .map((w) => `/${w.ipa}/ ${Math.round(w.score)}`).join(', ')}`}</p>
          )}
          {bubble.feedback.newWords.length > 0 && <p>{t('conversation.newWords')}: <span lang="en">{bubble.feedback.newWords.join(', ')}</span></p>}
        </details>
      )}
    </li>
  );
}

export function ReportView({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const ko = i18n.language !== 'en';
  return (
    <Card title={t('conversation.report')}>
      {report.scores.overall != null && (
        <p className="report-overall"><strong>{Math.round(report.scores.overall)}</strong>{t('conversation.overall')}</p>
      )}
      <dl className="stats">
        {(['accuracy', 'fluency', 'grammar', 'vocabulary'] as const).map((k) => (
          <div key={k}><dt>{t(`conversation.scores.${k}`)}</dt><dd>{report.scores[k] == null ? '–' : Math.round(report.scores[k]!)}</dd></div>
        ))}
      </dl>
      <p>{t('conversation.cefr', { band: report.cefr.band })}<br /><small className="muted">{ko ? report.cefr.noteKo : report.cefr.noteEn}</small></p>
      <h3>{t('conversation.goalsMet', { met: report.goals.filter((g) => g.met).length, total: report.goals.length })}</h3>
      <ul className="goal-list">{report.goals.map((g) => (
        <li key={g.goalId} className={g.met ? 'goal-met' : 'goal-open'}><span className="goal-mark" aria-hidden="true">{g.met ? '✓' : '–'}</span>
          <span><span className="sr-only">{g.met ? t('conversation.met') : t('conversation.notMet')}: </span>{ko ? g.ko : g.en}</span></li>
      ))}</ul>
      <p>{ko ? report.nextStep.ko : report.nextStep.en}</p>
      {report.rewrittenSentences.length > 0 && (
        <>
          <h3>{t('conversation.rewritten')}</h3>
          <ul>{report.rewrittenSentences.map((r, i) => (
            <li key={i}><s lang="en">{r.original}</s> → <strong lang="en">{r.better}</strong><br /><small>{r.explanationKo}</small></li>
          ))}</ul>
        </>
      )}
      {report.newWords.length > 0 && <p><strong>{t('conversation.newWords')}:</strong> <span lang="en">{report.newWords.join(', ')}</span></p>}
      <p><strong>{t('conversation.nextFocus')}:</strong> {ko ? report.nextFocus.ko : report.nextFocus.en}</p>
    </Card>
  );
}

/** The tutor's banner over a student's conversation: named as the tutor's student list names them (a child by
 * first name), never by the child's handle or an email the caller did not choose to show. */
export function ReadOnlyBanner({ studentName, startedAt }: { studentName?: string; startedAt: string }) {
  const { t, i18n } = useTranslation();
  const date = new Date(startedAt).toLocaleString(i18n.language);
  return (
    <p className="notice" data-testid="read-only">
      {studentName ? t('conversation.readOnly', { student: studentName, date }) : t('conversation.readOnlyUnnamed', { date })}
    </p>
  );
}

export function ChatScreen({ conversationId, readOnly = false, studentName }: {
  conversationId: string; readOnly?: boolean; studentName?: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const consent = useConsentBlock(); // no turns, hints or re-sends while a guardian's consent is pending
  const transcript = useQuery(transcriptQuery(conversationId));
  const [log, dispatch] = useReducer(chatReducer, emptyChat);
  const [showKo, setShowKo] = useState(true);
  const [text, setText] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [speaking, setSpeaking] = useState(false);
  const bottom = useRef<HTMLLIElement>(null);
  const location = useLocation();
  const speak = useCallback((url: string) => {
    const audio = new Audio(url);
    audio.onplay = () => setSpeaking(true);
    audio.onended = () => setSpeaking(false);
    audio.onerror = () => setSpeaking(false);
    void audio.play().catch(() => setSpeaking(false));
  }, []);
  // Just started: the partner's opening line is heard, once (not again on a reload or a later visit).
  const openerAudio = (location.state as { openerAudio?: string | null } | null)?.openerAudio;
  const openerPlayed = useRef(false);
  useEffect(() => {
    if (readOnly || !openerAudio || openerPlayed.current || !transcript.data) return;
    openerPlayed.current = true;
    window.history.replaceState({ ...window.history.state, usr: null }, '');
    speak(openerAudio);
  }, [openerAudio, readOnly, speak, transcript.data]);
  useEffect(() => { if (transcript.data) dispatch({ type: 'loaded', transcript: transcript.data }); }, [transcript.data]);
  useEffect(() => { if (transcript.data?.report) setReport(transcript.data.report); }, [transcript.data]);
  useEffect(() => {
    // Block body: Chromium's scrollIntoView returns a promise, which React would take for a clean-up.
    void bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [log.bubbles.length]);

  // The reply is pushed (ai_reply); its status is read once then, for the audio link and the feedback.
  const logRef = useRef(log);
  logRef.current = log;
  // A turn's feedback (the coach and the pronunciation of its audio) is written after the reply and pushed
  // (turn_feedback). A missed push is covered by reading its status again a few times with growing gaps until
  // the feedback is there (by push or read), then never again.
  const followers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => followers.current.forEach(clearTimeout), []);
  const followFeedback = useCallback((requestId: string, attempt = 0) => {
    if (attempt >= FEEDBACK_READS.length) return;
    const timer = setTimeout(() => {
      followers.current.delete(timer);
      if (logRef.current.bubbles.some((b) => b.kind === 'me' && b.requestId === requestId && b.feedback)) return;
      void queryClient.fetchQuery({ ...replyQuery(requestId), staleTime: 0 }).then((status) => {
        dispatch({ type: 'replied', status });
        if (!status.feedback) followFeedback(requestId, attempt + 1);
      }, () => followFeedback(requestId, attempt + 1));
    }, FEEDBACK_READS[attempt]);
    followers.current.add(timer);
  }, [queryClient]);
  useLiveFrame('turn_feedback', (frame) => {
    if (frame.conversationId !== conversationId) return;
    const requestId = String(frame.requestId);
    const feedback = frame.feedback as TurnFeedback;
    dispatch({ type: 'feedback', requestId, turnIndex: Number(frame.turnIndex), feedback });
    queryClient.setQueryData<ReplyStatus>(replyQuery(requestId).queryKey, (status) => (status ? { ...status, feedback } : status));
  });
  useLiveFrame('ai_reply', (frame) => {
    if (frame.conversationId !== conversationId) return;
    if (!logRef.current.bubbles.some((b) => b.kind === 'me' && b.requestId === frame.requestId)) {
      // A reply to a message this page did not send (sent before a reload, the one a 409 said was pending):
      // the transcript has it.
      void queryClient.invalidateQueries({ queryKey: transcriptQuery(conversationId).queryKey });
      return;
    }
    // Earlier turns still without their feedback (a turn_feedback push missed while the socket was down) are read
    // again now, once per reply.
    logRef.current.bubbles.forEach((b) => {
      if (b.kind === 'me' && b.state === 'done' && !b.feedback && b.requestId) {
        void queryClient.fetchQuery({ ...replyQuery(b.requestId), staleTime: 0 })
          .then((status) => dispatch({ type: 'replied', status }), () => undefined);
      }
    });
    void queryClient.fetchQuery(replyQuery(String(frame.requestId))).then((status) => {
      dispatch({ type: 'replied', status });
      if (status.status === 'COMPLETED' && status.audioUrl) speak(status.audioUrl);
      if (status.status === 'COMPLETED' && !status.feedback) followFeedback(status.requestId);
    });
  });

  const hint = useMutation({ mutationFn: () => askHint(conversationId) });
  // What each of my turns said, so a failed one can be sent again as it was (the same text or recording).
  const attempts = useRef(new Map<string, { text?: string; take?: Take }>());
  const say = useCallback(async (turn: { text?: string; take?: Take }) => {
    const localId = `l${Date.now()}`;
    attempts.current.set(localId, turn);
    hint.reset();
    dispatch({ type: 'sending', localId, text: turn.text ?? '', spoken: Boolean(turn.take) });
    try {
      const sent = await sendTurn(conversationId, turn);
      dispatch({ type: 'sent', localId, requestId: sent.requestId });
    } catch (error) {
      dispatch({ type: 'sendFailed', localId, reason: errorText(error), reasonCode: isApiError(error) ? error.code : undefined });
    }
  }, [conversationId, errorText, hint]);
  const sendAgain = (id: string) => {
    const turn = attempts.current.get(id);
    if (!turn) return;
    attempts.current.delete(id);
    dispatch({ type: 'discard', id });
    void say(turn);
  };
  const onTake = useCallback(async (take: Take, progress: { uploaded: () => void }) => {
    progress.uploaded();
    await say({ take });
  }, [say]);
  const recorder = useRecorder(onTake);
  const holding = useRef(false);
  const press = async () => {
    holding.current = true;
    await recorder.start();
    if (!holding.current) recorder.stop(); // released while the microphone was still opening
  };
  const release = () => {
    holding.current = false;
    recorder.stop();
  };
  const end = useMutation({ mutationFn: () => endConversation(conversationId), onSuccess: (ended) => {
    setReport(ended.report);
    dispatch({ type: 'ended' });
    window.scrollTo({ top: 0 }); // the report is shown above the conversation
    void queryClient.invalidateQueries({ queryKey: ['conversation', 'list'] });
    // The last turns' feedback may have been written since their replies: the transcript has it.
    void queryClient.invalidateQueries({ queryKey: transcriptQuery(conversationId).queryKey });
  } });

  if (transcript.isPending) return <Loading />;
  if (transcript.error) return <ErrorNotice error={transcript.error} />;
  const scenario = transcript.data.scenario;
  const recording = recorder.state.phase === 'recording';
  const phase = recording ? 'listening' : log.waitingFor ? 'thinking' : speaking ? 'speaking' : 'ready';
  const closed = readOnly || log.ended;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    void say({ text: text.trim() });
    setText('');
  };
  const ko = i18n.language !== 'en';
  return (
    <div className="stack">
      <div className="chat-head">
        {scenario.scenarioId !== 'free' && <ScenarioPicture scenarioId={scenario.scenarioId} className="banner" />}
        <div>
          <h1>{ko ? scenario.title.ko : scenario.title.en}</h1>
          <p className="muted">{ko ? scenario.situation.ko : scenario.situation.en}
            <br />{t('conversation.roles', { ai: ko ? scenario.aiRole.ko : scenario.aiRole.en, me: ko ? scenario.learnerRole.ko : scenario.learnerRole.en })}</p>
        </div>
      </div>
      {readOnly && <ReadOnlyBanner studentName={studentName} startedAt={transcript.data.startedAt} />}
      {report && <ReportView report={report} />}
      <Card title={closed ? t('conversation.chat') : undefined}>
        <div className="row wrap chat-tools">
          <label className="switch"><input type="checkbox" checked={showKo} onChange={(e) => setShowKo(e.target.checked)} />{t('conversation.showKo')}</label>
          {!closed && log.turnsLeft != null && <span className="muted">{t('conversation.turnsLeft', { count: log.turnsLeft })}</span>}
          {!closed && <span role="status" className={`pill chat-phase chat-${phase}`} data-testid="chat-phase">{t(`conversation.phase.${phase}`)}</span>}
        </div>
        <ol className={`chat ${closed ? 'chat-full' : ''}`} aria-label={t('conversation.chat')}>
          {log.bubbles.map((b) => (b.kind === 'ai' ? <AiBubble key={b.id} bubble={b} showKo={showKo} /> : <MyBubble key={b.id} bubble={b}
            onRetry={!closed && !consent.blocked && !log.waitingFor && attempts.current.has(b.id) ? () => sendAgain(b.id)
              : undefined} />))}
          <li ref={bottom} aria-hidden="true" />
        </ol>
        {!closed && (
          <div className="stack">
            <div className="row wrap">
              <Button variant={recording ? 'danger' : 'primary'} disabled={consent.blocked || Boolean(log.waitingFor)}
                {...consent.describe}
                onPointerDown={(e) => { e.preventDefault(); if (!recording) void press(); }}
                onPointerUp={release} onPointerLeave={() => holding.current && release()}
                onKeyDown={(e) => { if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) { e.preventDefault(); if (recording) release(); else void press(); } }}
                aria-pressed={recording}>
                <MicIcon />{recording ? t('conversation.release') : t('conversation.hold')}
              </Button>
              <Button variant="secondary" onClick={() => hint.mutate()} busy={hint.isPending} disabled={consent.blocked}
                {...consent.describe}>{t('conversation.hint')}</Button>
              <Button variant="ghost" onClick={() => end.mutate()} busy={end.isPending}>{t('conversation.end')}</Button>
            </div>
            {recorder.state.phase === 'error' && recorder.state.error !== 'failed' && (
              <div role="alert" className="notice notice-error">{t(`practice.errors.${recorder.state.error}`)}</div>
            )}
            {hint.data && <p className="notice" role="status"><span lang="en">{hint.data.suggestion}</span><br />{hint.data.suggestionKo}</p>}
            <ErrorNotice error={hint.error ?? end.error} />
            <form className="row wrap chat-type" onSubmit={submit}>
              <TextField label={t('conversation.type')} lang="en" value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
              <Button type="submit" variant="secondary" disabled={consent.blocked || !text.trim() || Boolean(log.waitingFor)}
                {...consent.describe}>{t('conversation.send')}</Button>
            </form>
            <ConsentNote />
          </div>
        )}
      </Card>
    </div>
  );
}
