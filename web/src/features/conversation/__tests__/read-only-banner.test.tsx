import { render, screen } from '@testing-library/react';
import i18n from 'i18next';
import '@/lib/i18n';
import { ReadOnlyBanner } from '../components/conversation-screens';

describe("the tutor's read-only banner", () => {
  beforeEach(() => i18n.changeLanguage('en'));

  it('names the student as the tutor knows them', () => {
    render(<ReadOnlyBanner studentName="Minji" startedAt="2026-03-01T09:00:00Z" />);
    expect(screen.getByTestId('read-only')).toHaveTextContent(/^Minji's conversation · .+ \(read-only\)$/);
  });

  it('says "your student" rather than showing anything else when there is no name', () => {
    render(<ReadOnlyBanner startedAt="2026-03-01T09:00:00Z" />);
    expect(screen.getByTestId('read-only')).toHaveTextContent(/^Your student's conversation · .+ \(read-only\)$/);
  });
});
