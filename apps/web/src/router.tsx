import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { NotFoundPage } from './console/NotFoundPage.tsx';
import { RequireAuth } from './shared/auth/RequireAuth.tsx';
import { RequirePermission } from './shared/auth/RequirePermission.tsx';
import { loginUrl, setCsrfToken, setUnauthenticatedHandler } from './shared/api/client.ts';
import { queryClient } from './shared/api/query-client.ts';
import { meKey } from './shared/auth/api.ts';
import { Lazy } from './shared/ui/Lazy.tsx';

// Every page is its own chunk: the login page must not pull in the console's tables and calendars.
const LoginPage = lazy(() => import('./console/login/LoginPage.tsx'));
const ConsoleLayout = lazy(() => import('./console/layout/ConsoleLayout.tsx'));
const HomePage = lazy(() => import('./console/home/HomePage.tsx'));
const CalendarSettingsPage = lazy(() => import('./console/system/calendar/CalendarSettingsPage.tsx'));

export const router = createBrowserRouter([
  { path: '/login', element: <Lazy page={<LoginPage />} full /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <Lazy page={<ConsoleLayout />} full />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'system/calendar',
        element: (
          <RequirePermission permission="system:calendar:read">
            <CalendarSettingsPage />
          </RequirePermission>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

// A session that ends while the console is open (idle timeout, logout elsewhere): back to the login page,
// remembering where the user was.
setUnauthenticatedHandler(() => {
  if (router.state.location.pathname === '/login') return;
  void Promise.resolve(router.navigate(loginUrl(), { replace: true })).then(() => {
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(meKey, null);
  });
});
