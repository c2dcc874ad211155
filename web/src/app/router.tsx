import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '@/features/auth';
import type { Role } from '@/lib/auth-session';
import { AppLayout, PublicLayout } from './layout';

function RequireRole({ role }: { role?: Role }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (role && session.user.role !== role) return <Navigate to="/" replace />;
  return <Outlet />;
}

function RoleHome() {
  const session = useSession();
  return <Navigate to={session?.user.role === 'tutor' ? '/tutor' : '/home'} replace />;
}

function PublicOnly() {
  const session = useSession();
  return session ? <Navigate to="/" replace /> : <Outlet />;
}

// Route-level code splitting: each screen is its own chunk, so the first load carries only the shell.
const lazy = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

export const router = createBrowserRouter([
  {
    // The guardian's consent page: public whoever is signed in on this browser (the link's token decides).
    element: <PublicLayout />,
    children: [
      { path: '/consent', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.ConsentRoute }))) },
      { path: '/consent/withdraw', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.WithdrawRoute }))) },
    ],
  },
  {
    element: <PublicOnly />,
    children: [{
      element: <PublicLayout />,
      children: [
        { path: '/login', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.LoginRoute }))) },
        { path: '/signup', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.SignupRoute }))) },
        { path: '/confirm', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.ConfirmRoute }))) },
        { path: '/forgot', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.ForgotRoute }))) },
        { path: '/reset', lazy: lazy(() => import('./routes/auth').then((m) => ({ default: m.ResetRoute }))) },
      ],
    }],
  },
  {
    element: <RequireRole />,
    children: [{
      element: <AppLayout />,
      children: [
        { path: '/', element: <RoleHome /> },
        { path: '/profile', lazy: lazy(() => import('./routes/profile')) },
        { path: '/notifications', lazy: lazy(() => import('./routes/notifications')) },
        {
          element: <RequireRole role="student" />,
          children: [
            { path: '/home', lazy: lazy(() => import('./routes/student-home')) },
            { path: '/practice', lazy: lazy(() => import('./routes/practice')) },
            { path: '/progress', lazy: lazy(() => import('./routes/progress')) },
            { path: '/tutors', lazy: lazy(() => import('./routes/tutors')) },
            { path: '/conversation', lazy: lazy(() => import('./routes/conversation')) },
            { path: '/conversation/:id', lazy: lazy(() => import('./routes/conversation-chat')) },
          ],
        },
        {
          element: <RequireRole role="tutor" />,
          children: [
            { path: '/tutor', lazy: lazy(() => import('./routes/tutor-dashboard')) },
            { path: '/tutor/students/:email', lazy: lazy(() => import('./routes/tutor-student')) },
            { path: '/tutor/students/:email/conversations/:id', lazy: lazy(() => import('./routes/tutor-conversation')) },
          ],
        },
      ],
    }],
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);
