import { fireEvent, render, screen } from '@testing-library/react';
import i18n from 'i18next';
import '@/lib/i18n';
import { MyBubble } from '../components/conversation-screens';

const failed = { kind: 'me' as const, id: 'l1', text: '', spoken: true, state: 'failed' as const };

describe('my turn in the chat', () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('says in Korean why a turn failed, by its reason code, and offers to send it again', () => {
    const onRetry = vi.fn();
    render(<ul><MyBubble bubble={{ ...failed, reason: 'No words were recognised', reasonCode: 'NOTHING_HEARD' }} onRetry={onRetry} /></ul>);
    expect(screen.getByRole('alert')).toHaveTextContent('말소리가 들리지 않았어요');
    expect(screen.getByText('(음성 메시지)')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '다시 보내기' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it("shows the server's reason for a code it has no words for, and no resend button without a handler", () => {
    render(<ul><MyBubble bubble={{ ...failed, text: 'Hello', reason: 'Something new broke', reasonCode: 'BRAND_NEW' }} /></ul>);
    expect(screen.getByRole('alert')).toHaveTextContent('Something new broke');
    expect(screen.queryByRole('button', { name: '다시 보내기' })).toBeNull();
  });

  it('keeps the corrections collapsed under the bubble', () => {
    render(<ul><MyBubble bubble={{ kind: 'me', id: 't1', text: 'I want coffee', spoken: true, state: 'done', feedback: {
      status: 'READY', betterPhrasing: "I'd like a coffee, please.", newWords: [],
      corrections: [{ original: 'I want coffee', corrected: "I'd like a coffee", explanationKo: '주문할 때는 would like가 더 공손해요.' }],
      pronunciation: { overallScore: 81.6, accuracyScore: 80, fluencyScore: 85, words: [], weakestSounds: [{ phoneme: 'F', ipa: 'f', score: 52 }] },
    } }} /></ul>);
    const details = screen.getByTestId('turn-feedback');
    expect(details).not.toHaveAttribute('open');
    expect(details).toHaveTextContent('교정 1개 보기');
    expect(details).toHaveTextContent('발음 82점 · 약한 소리: /f/ 52');
  });
});
