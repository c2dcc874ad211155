import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import i18n from 'i18next';
import { MemoryRouter } from 'react-router-dom';
import '@/lib/i18n';
import { ScenarioPicker } from '@/features/conversation';
import { TutorsScreen } from '../components/tutors-screen';
import { myRequestsKey, myTutorKey } from '../api/tutors';

/** An access token whose groups are `groups` (only the claims are read on the client). */
function token(groups: string[]) {
  return `h.${btoa(JSON.stringify({ 'cognito:groups': groups }))}.s`;
}

const session = { current: token(['student', 'consent-pending']) };
vi.mock('@/features/auth/hooks/use-session', () => ({
  useSession: () => ({ accessToken: session.current, idToken: '', refreshToken: '', expiresAt: Date.now() + 3_600_000,
    user: { email: 'kid@example.com', name: 'Minji', role: 'student' } }),
}));

const tutor = { email: 'han@example.com', name: 'Han', intro: '', isAccepting: true, maxStudents: 10, studentCount: 0,
  openSeats: 10, isOpen: true };
const scenario = { scenarioId: 'cafe', levels: ['beginner'], title: { ko: '카페', en: 'Cafe' }, aiRole: { ko: '점원', en: 'Barista' },
  learnerRole: { ko: '손님', en: 'Customer' }, situation: { ko: '주문', en: 'Order' }, goals: [] };

function renderCached(screenNode: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(['tutors', 'search', ''], { tutors: [tutor], cursor: null });
  client.setQueryData(myRequestsKey, { requests: [], cursor: null });
  client.setQueryData(myTutorKey, { tutor: null });
  client.setQueryData(['conversation', 'scenarios'], { scenarios: [scenario] });
  client.setQueryData(['conversation', 'list', 'me'], { conversations: [] });
  render(<QueryClientProvider client={client}><MemoryRouter>{screenNode}</MemoryRouter></QueryClientProvider>);
}

const BANNER = /보호자의 동의를 기다리고 있습니다/;
const NOTE = /보호자가 동의하면 쓸 수 있습니다/;

describe("a child whose guardian has not consented yet", () => {
  beforeEach(() => {
    session.current = token(['student', 'consent-pending']);
    return i18n.changeLanguage('ko');
  });

  it('cannot ask for a tutor, and is told why beside the button', () => {
    renderCached(<TutorsScreen />);
    const ask = screen.getByRole('button', { name: '수업 신청' });
    expect(ask).toBeDisabled();
    expect(ask).toHaveAttribute('title', expect.stringMatching(BANNER));
    expect(screen.getByTestId('consent-note')).toHaveTextContent(NOTE);
  });

  it('cannot start a conversation, and is told why', () => {
    renderCached(<ScenarioPicker />);
    expect(screen.getByRole('button', { name: /카페/ })).toBeDisabled();
    expect(screen.getByTestId('consent-note')).toHaveTextContent(NOTE);
  });

  it('once consented, asks and starts as anyone does', () => {
    session.current = token(['student']);
    renderCached(<><TutorsScreen /><ScenarioPicker /></>);
    expect(screen.getByRole('button', { name: '수업 신청' })).toBeEnabled();
    expect(screen.getByRole('button', { name: /카페/ })).toBeEnabled();
    expect(screen.queryByTestId('consent-note')).toBeNull();
  });
});
