import { fireEvent, render, screen } from '@testing-library/react';
import '@/lib/i18n';
import type { DataExport } from '../api/data-export';
import { DataExportView } from '../components/data-export-card';

const base: DataExport = {
  exportId: '1764600000-abc', status: 'RUNNING', requestedAt: '2026-12-01T00:00:00Z', finishedAt: null,
  availableUntil: null, downloadUrl: null, partsDone: ['identity', 'practice'],
  partsMissing: ['matching', 'conversation', 'notifications'], reason: null,
};

describe('download my data', () => {
  it('offers to prepare an export when there is none', () => {
    const request = vi.fn();
    render(<DataExportView latest={undefined} busy={false} error={null} onRequest={request} />);
    fireEvent.click(screen.getByRole('button', { name: '내 데이터 준비하기' }));
    expect(request).toHaveBeenCalledOnce();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows the progress of a running export and no second request', () => {
    render(<DataExportView latest={base} busy={false} error={null} onRequest={() => undefined} />);
    expect(screen.getByRole('status')).toHaveTextContent('준비 중… (5개 중 2개 완료)');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('links the ZIP of a ready export with the date it is kept until', () => {
    const ready = { ...base, status: 'READY' as const, downloadUrl: 'https://files.test/exports/x.zip',
      availableUntil: '2026-12-08T00:00:00Z', partsDone: [...base.partsDone, ...base.partsMissing], partsMissing: [] };
    render(<DataExportView latest={ready} busy={false} error={null} onRequest={() => undefined} />);
    expect(screen.getByRole('link', { name: 'ZIP 다운로드' })).toHaveAttribute('href', 'https://files.test/exports/x.zip');
    expect(screen.getByRole('status')).toHaveTextContent('2026-12-08까지');
  });

  it('says when an export failed and offers a new one', () => {
    render(<DataExportView latest={{ ...base, status: 'FAILED' }} busy={false} error={null} onRequest={() => undefined} />);
    expect(screen.getByRole('status')).toHaveTextContent('실패');
    expect(screen.getByRole('button', { name: '내 데이터 준비하기' })).toBeInTheDocument();
  });
});
