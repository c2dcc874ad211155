import type { ReplyStatus, TurnFeedback } from '../api/conversation';
import { chatReducer, emptyChat, type ChatEvent } from '../chat-log';

const reply = (over: Partial<ReplyStatus>): ReplyStatus => ({
  requestId: 'r1', conversationId: 'c1', status: 'COMPLETED', heardText: 'I would like a latte', aiMessage: 'Hot or iced?',
  aiMessageKo: '따뜻한 걸로 드릴까요, 아이스로 드릴까요?', audioUrl: 'http://s3/tts/a.wav', turnCount: 1, turnsLeft: 9,
  conversationStatus: 'ACTIVE', feedback: null, ...over });

const opened: ChatEvent = { type: 'opened', en: 'Hi! What can I get you?', ko: '안녕하세요! 뭘 드릴까요?', turnLimit: 10 };

describe('the chat log', () => {
  it('shows my spoken turn as what was heard once the reply arrives, then the partner', () => {
    let log = chatReducer(emptyChat, opened);
    log = chatReducer(log, { type: 'sending', localId: 'l1', text: '', spoken: true });
    log = chatReducer(log, { type: 'sent', localId: 'l1', requestId: 'r1' });
    expect(log.waitingFor).toBe('r1');
    log = chatReducer(log, { type: 'replied', status: reply({}) });
    expect(log.waitingFor).toBeNull();
    expect(log.bubbles.map((b) => [b.kind, b.kind === 'me' ? b.text : b.en])).toEqual([
      ['ai', 'Hi! What can I get you?'], ['me', 'I would like a latte'], ['ai', 'Hot or iced?']]);
    expect(log.turnsLeft).toBe(9);
  });

  it('ignores a reply for a request it does not know and a status still processing', () => {
    const log = chatReducer(chatReducer(emptyChat, opened), { type: 'sending', localId: 'l1', text: 'Hi', spoken: false });
    expect(chatReducer(log, { type: 'replied', status: reply({ requestId: 'other' }) })).toBe(log);
    const sent = chatReducer(log, { type: 'sent', localId: 'l1', requestId: 'r1' });
    expect(chatReducer(sent, { type: 'replied', status: reply({ status: 'PROCESSING' }) })).toBe(sent);
  });

  it('marks a failed turn with its reason and stops waiting, so the learner can send again', () => {
    let log = chatReducer(emptyChat, opened);
    log = chatReducer(log, { type: 'sending', localId: 'l1', text: '', spoken: true });
    log = chatReducer(log, { type: 'sent', localId: 'l1', requestId: 'r1' });
    log = chatReducer(log, { type: 'replied', status: reply({ status: 'FAILED', reason: '말소리를 인식하지 못했습니다', aiMessage: null }) });
    expect(log.waitingFor).toBeNull();
    expect(log.bubbles.at(-1)).toMatchObject({ kind: 'me', state: 'failed', reason: '말소리를 인식하지 못했습니다' });
  });

  it('keeps the reason code of a failed turn and drops the failed bubble when it is sent again', () => {
    let log = chatReducer(emptyChat, opened);
    log = chatReducer(log, { type: 'sending', localId: 'l1', text: 'Hello', spoken: false });
    log = chatReducer(log, { type: 'sent', localId: 'l1', requestId: 'r1' });
    log = chatReducer(log, { type: 'replied', status: reply({ status: 'FAILED', reason: 'after 2 attempts', reasonCode: 'REPLY_FAILED', aiMessage: null }) });
    expect(log.bubbles.at(-1)).toMatchObject({ state: 'failed', reasonCode: 'REPLY_FAILED' });
    log = chatReducer(log, { type: 'sending', localId: 'l2', text: 'Again', spoken: false });
    log = chatReducer(log, { type: 'sendFailed', localId: 'l2', reason: '아직 답하는 중', reasonCode: 'REPLY_IN_PROGRESS' });
    expect(log.bubbles.at(-1)).toMatchObject({ id: 'l2', state: 'failed', reasonCode: 'REPLY_IN_PROGRESS' });
    log = chatReducer(log, { type: 'discard', id: 'l1' });
    expect(log.bubbles.map((b) => b.id)).toEqual(['opener', 'l2']);
  });

  it('adds feedback read later to the same turn without a second partner bubble', () => {
    let log = chatReducer(emptyChat, opened);
    log = chatReducer(log, { type: 'sending', localId: 'l1', text: 'I want coffee', spoken: false });
    log = chatReducer(log, { type: 'sent', localId: 'l1', requestId: 'r1' });
    log = chatReducer(log, { type: 'replied', status: reply({}) });
    const feedback = { status: 'READY' as const, corrections: [{ original: 'I want coffee', corrected: "I'd like a coffee", explanationKo: '더 공손해요' }],
      betterPhrasing: null, newWords: [] };
    log = chatReducer(log, { type: 'replied', status: reply({ feedback }) });
    expect(log.bubbles).toHaveLength(3);
    expect(log.bubbles[1]).toMatchObject({ feedback });
  });

  it('does not wait for a request whose bubble a transcript re-read replaced', () => {
    const log = chatReducer(emptyChat, opened);
    expect(chatReducer(log, { type: 'sent', localId: 'gone', requestId: 'r9' })).toBe(log);
  });

  it('rebuilds a conversation from its transcript', () => {
    const log = chatReducer(emptyChat, { type: 'loaded', transcript: {
      conversationId: 'c1', studentEmail: 's', level: 'beginner', status: 'ENDED', turnCount: 1, turnLimit: 10,
      startedAt: '', endedAt: '', report: null, scenario: {} as never,
      turns: [
        { index: 0, heardText: '', typedText: '', userAudioUrl: null, aiMessage: 'Hi!', aiMessageKo: '안녕!', aiAudioUrl: null, feedback: null, createdAt: '' },
        { index: 1, heardText: 'hello', typedText: '', userAudioUrl: null, aiMessage: 'How are you?', aiMessageKo: '잘 지내?', aiAudioUrl: null, feedback: null, createdAt: '' },
      ] } });
    expect(log.bubbles.map((b) => b.kind)).toEqual(['ai', 'me', 'ai']);
    expect(log.ended).toBe(true);
    expect(log.turnsLeft).toBe(9);
  });

  it('puts a pushed feedback on my turn, whether this page sent it or the transcript holds it', () => {
    const feedback: TurnFeedback = { corrections: [], betterPhrasing: null, newWords: ['latte'], unclearWords: [], pronunciation: null,
      status: 'READY' };
    let log = chatReducer(emptyChat, opened);
    log = chatReducer(log, { type: 'sending', localId: 'l1', text: 'I would like a latte', spoken: false });
    log = chatReducer(log, { type: 'sent', localId: 'l1', requestId: 'r1' });
    log = chatReducer(log, { type: 'replied', status: reply({}) });
    log = chatReducer(log, { type: 'feedback', requestId: 'r1', turnIndex: 1, feedback });
    expect(log.bubbles[1]).toMatchObject({ kind: 'me', requestId: 'r1', feedback: { newWords: ['latte'] } });
    expect(chatReducer(log, { type: 'feedback', requestId: 'r9', turnIndex: 7, feedback })).toBe(log);
    const loaded = chatReducer(emptyChat, { type: 'loaded', transcript: {
      conversationId: 'c1', status: 'ACTIVE', turnCount: 1, turnLimit: 10, startedAt: '2026-01-01T00:00:00Z',
      turns: [{ index: 1, heardText: '', typedText: 'Hi there', aiMessage: 'Hello!', aiMessageKo: '안녕하세요!', feedback: null }],
    } as never });
    const fed = chatReducer(loaded, { type: 'feedback', requestId: 'r2', turnIndex: 1, feedback });
    expect(fed.bubbles[0]).toMatchObject({ kind: 'me', text: 'Hi there', feedback: { status: 'READY' } });
  });
});
