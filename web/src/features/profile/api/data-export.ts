import { queryOptions } from '@tanstack/react-query';
import { identity, unwrap } from '@/lib/api/client';
import type { IdentityAnswer } from '@/lib/api/schemas';

export type DataExport = IdentityAnswer<'ExportAnswer'>;
export const exportsKey = ['profile', 'exports'] as const;

/** The caller's exports, newest first; polled while the newest is still being prepared. */
export const exportsQuery = () => queryOptions({
  queryKey: exportsKey,
  queryFn: () => unwrap(identity().GET('/api/users/me/exports')),
  refetchInterval: (query) => (query.state.data?.exports[0]?.status === 'RUNNING' ? 3000 : false),
});

export async function requestExport(): Promise<DataExport> {
  return unwrap(identity().POST('/api/users/me/export'));
}
