import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { auth } from './api/client';
import { config } from './config';
import { LiveSocket, type Frame, type SocketState } from './live-socket';

const LiveContext = createContext<LiveSocket | null>(null);

/** Opens the tab's one socket while someone is signed in. */
export function LiveProvider({ signedIn, children }: { signedIn: boolean; children: ReactNode }) {
  const socket = useRef<LiveSocket>();
  if (!socket.current) socket.current = new LiveSocket(() => config().websocket, () => auth().accessToken());
  useEffect(() => {
    const live = socket.current!;
    if (signedIn) live.start();
    return () => live.stop();
  }, [signedIn]);
  return <LiveContext.Provider value={socket.current}>{children}</LiveContext.Provider>;
}

/** Call `handler` for every pushed frame of `type` while the component is mounted. */
export function useLiveFrame(type: string, handler: (frame: Frame) => void): void {
  const live = useContext(LiveContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!live) return undefined;
    return live.on(type, (f) => latest.current(f));
  }, [live, type]);
}

export function useLiveState(): SocketState {
  const live = useContext(LiveContext);
  return useSyncExternalStore(
    (notify) => live?.onState(notify) ?? (() => undefined),
    () => live?.state ?? 'idle',
  );
}
