import { BACKOFF_MAX_MS, backoffDelay, LiveSocket } from '../live-socket';

class FakeSocket {
  static made: FakeSocket[] = [];
  onopen?: () => void; onmessage?: (m: { data: string }) => void; onclose?: () => void;
  constructor(readonly url: string) { FakeSocket.made.push(this); }
  close() { this.onclose?.(); }
}

describe('the live socket', () => {
  beforeEach(() => { FakeSocket.made = []; vi.useFakeTimers(); });
  afterEach(() => vi.useRealTimers());

  it('backs off exponentially with jitter up to a ceiling', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(8000);
    expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS);
  });

  it('dispatches frames by type once per event id, and reconnects with the newest token', async () => {
    let token = 't1';
    const live = new LiveSocket(() => 'ws://gw', async () => token, (u) => new FakeSocket(u) as unknown as WebSocket);
    const got: unknown[] = [];
    live.on('feedback', (f) => got.push(f.message));
    live.start();
    await vi.runAllTicks();
    await Promise.resolve();
    const first = FakeSocket.made[0];
    expect(first.url).toBe('ws://gw/?token=t1');
    first.onopen?.();
    const frame = JSON.stringify({ type: 'feedback', eventId: 'e1', message: 'good' });
    first.onmessage?.({ data: frame });
    first.onmessage?.({ data: frame });
    first.onmessage?.({ data: JSON.stringify({ type: 'pong' }) });
    expect(got).toEqual(['good']);
    token = 't2';
    first.onclose?.();
    expect(live.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made[1].url).toBe('ws://gw/?token=t2');
    live.stop();
    expect(live.state).toBe('idle');
  });
});
