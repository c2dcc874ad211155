// One WebSocket per tab to the notifications gateway: reconnects with exponential backoff and jitter, reopens
// with the newest access token, and hands every pushed frame to the listeners of its type.
export type Frame = { type: string; eventId?: string; occurredAt?: string; [field: string]: unknown };
type Listener = (frame: Frame) => void;
export type SocketState = 'idle' | 'connecting' | 'open' | 'closed';

export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class LiveSocket {
  private socket: WebSocket | null = null;
  private listeners = new Map<string, Set<Listener>>();
  private stateListeners = new Set<(s: SocketState) => void>();
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private seen = new Set<string>();
  state: SocketState = 'idle';

  constructor(
    private readonly url: () => string,
    private readonly token: () => Promise<string | null>,
    private readonly makeSocket: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {}

  on(type: string, listener: Listener): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
    return () => set.delete(listener);
  }

  onState(listener: (s: SocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    void this.open();
  }

  stop(): void {
    this.wanted = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.socket?.close();
    this.socket = null;
    this.setState('idle');
  }

  private async open(): Promise<void> {
    const token = await this.token();
    if (!this.wanted) return;
    if (!token) return this.scheduleReconnect();
    this.setState('connecting');
    const socket = this.makeSocket(`${this.url()}/?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    socket.onmessage = (message) => this.dispatch(message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState('closed');
      if (this.wanted) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.open();
    }, backoffDelay(this.attempt++));
  }

  private dispatch(data: unknown): void {
    let frame: Frame;
    try {
      frame = JSON.parse(String(data)) as Frame;
    } catch {
      return;
    }
    // Delivery is at least once: a redelivered event is shown once.
    if (frame.eventId) {
      if (this.seen.has(frame.eventId)) return;
      this.seen.add(frame.eventId);
    }
    this.listeners.get(frame.type)?.forEach((l) => l(frame));
    this.listeners.get('*')?.forEach((l) => l(frame));
  }

  private setState(state: SocketState): void {
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }
}
