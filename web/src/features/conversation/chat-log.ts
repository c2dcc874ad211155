// The conversation as the chat shows it, plain so it is tested without a browser. The partner's reply comes
// asynchronously: a sent turn waits ("thinking") until the ai_reply push names its request; its feedback comes
// later still, with the turn_feedback push.
import type { ReplyStatus, Transcript, TurnFeedback } from './api/conversation';

export type Bubble =
  | { kind: 'ai'; id: string; en: string; ko: string; audioUrl?: string | null }
  | { kind: 'me'; id: string; requestId?: string; text: string; spoken: boolean; state: 'sending' | 'waiting' | 'done' | 'failed';
      reason?: string | null; reasonCode?: string | null; feedback?: TurnFeedback | null };

type MyBubble = Extract<Bubble, { kind: 'me' }>;

export type ChatLog = { bubbles: Bubble[]; waitingFor: string | null; ended: boolean; turnsLeft: number | null };

export type ChatEvent =
  | { type: 'loaded'; transcript: Transcript }
  | { type: 'opened'; en: string; ko: string; audioUrl?: string | null; turnLimit: number }
  | { type: 'sending'; localId: string; text: string; spoken: boolean }
  | { type: 'sent'; localId: string; requestId: string }
  | { type: 'sendFailed'; localId: string; reason: string; reasonCode?: string }
  | { type: 'discard'; id: string }
  | { type: 'replied'; status: ReplyStatus }
  | { type: 'feedback'; requestId: string; turnIndex: number; feedback: TurnFeedback }
  | { type: 'ended' };

export const emptyChat: ChatLog = { bubbles: [], waitingFor: null, ended: false, turnsLeft: null };

export function chatReducer(log: ChatLog, event: ChatEvent): ChatLog {
  switch (event.type) {
    case 'loaded': {
      const t = event.transcript;
      const bubbles: Bubble[] = t.turns.flatMap((turn) => {
        const said = turn.heardText || turn.typedText;
        const mine: Bubble[] = said ? [{ kind: 'me', id: `t${turn.index}-me`, text: said, spoken: Boolean(turn.heardText),
          state: 'done', feedback: turn.feedback }] : [];
        return [...mine, { kind: 'ai', id: `t${turn.index}-ai`, en: turn.aiMessage, ko: turn.aiMessageKo, audioUrl: turn.aiAudioUrl }];
      });
      return { bubbles, waitingFor: null, ended: t.status === 'ENDED', turnsLeft: t.turnLimit - t.turnCount };
    }
    case 'opened':
      return { bubbles: [{ kind: 'ai', id: 'opener', en: event.en, ko: event.ko, audioUrl: event.audioUrl }],
        waitingFor: null, ended: false, turnsLeft: event.turnLimit };
    case 'sending':
      return { ...log, bubbles: [...log.bubbles, { kind: 'me', id: event.localId, text: event.text, spoken: event.spoken, state: 'sending' }] };
    case 'sent':
      // Its bubble is gone when the transcript was read again meanwhile (it then holds the turn): nothing to wait for.
      if (!log.bubbles.some((b) => b.id === event.localId)) return log;
      return { ...log, waitingFor: event.requestId, bubbles: log.bubbles.map((b) =>
        b.kind === 'me' && b.id === event.localId ? { ...b, requestId: event.requestId, state: 'waiting' } : b) };
    case 'sendFailed':
      return { ...log, bubbles: log.bubbles.map((b) =>
        b.kind === 'me' && b.id === event.localId ? { ...b, state: 'failed', reason: event.reason, reasonCode: event.reasonCode } : b) };
    case 'discard':
      // A failed turn the learner sends again: the new attempt replaces it.
      return { ...log, bubbles: log.bubbles.filter((b) => b.id !== event.id) };
    case 'replied': {
      const s = event.status;
      const mine = log.bubbles.find((b): b is MyBubble => b.kind === 'me' && b.requestId === s.requestId);
      if (!mine || s.status === 'PROCESSING') return log;
      if (mine.state === 'done') {
        // A later read of the same request (its feedback arrived): only the feedback changes.
        return { ...log, bubbles: log.bubbles.map((b) => (b === mine ? { ...mine, feedback: s.feedback ?? mine.feedback } : b)) };
      }
      const done: MyBubble = s.status === 'FAILED'
        ? { ...mine, state: 'failed', reason: s.reason, reasonCode: s.reasonCode }
        : { ...mine, state: 'done', text: s.heardText || mine.text, feedback: s.feedback };
      const bubbles = log.bubbles.map((b) => (b === mine ? done : b));
      if (s.status === 'COMPLETED' && s.aiMessage) {
        bubbles.push({ kind: 'ai', id: `${s.requestId}-ai`, en: s.aiMessage, ko: s.aiMessageKo ?? '', audioUrl: s.audioUrl });
      }
      return { bubbles, waitingFor: log.waitingFor === s.requestId ? null : log.waitingFor,
        ended: s.conversationStatus === 'ENDED', turnsLeft: s.turnsLeft };
    }
    case 'feedback': {
      // My turn sent from this page (by its request) or read from the transcript (by its index); one that is
      // still waiting for its reply takes the feedback with the reply's status.
      const mine = log.bubbles.find((b): b is MyBubble => b.kind === 'me' && b.state === 'done'
        && (b.requestId === event.requestId || b.id === `t${event.turnIndex}-me`));
      if (!mine) return log;
      return { ...log, bubbles: log.bubbles.map((b) => (b === mine ? { ...mine, feedback: event.feedback } : b)) };
    }
    case 'ended':
      return { ...log, ended: true, waitingFor: null };
  }
}
