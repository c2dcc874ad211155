import { useSyncExternalStore } from 'react';
import { auth } from '@/lib/api/client';
import type { Session } from '@/lib/auth-session';

export function useSession(): Session | null {
  return useSyncExternalStore((notify) => auth().subscribe(notify), () => auth().session);
}
