import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router-dom';
import { useSession } from '@/features/auth';
import { isApiError } from '@/lib/api/errors';
import { LiveProvider } from '@/lib/live';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // 4xx answers are decisions, not hiccups.
      retry: (count, error) => count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

export function App() {
  const session = useSession();
  return (
    <QueryClientProvider client={queryClient}>
      <LiveProvider signedIn={Boolean(session)}>
        <RouterProvider router={router} />
      </LiveProvider>
    </QueryClientProvider>
  );
}

export { queryClient };
