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
const EntitySearchPage = lazy(() => import('./console/entities/EntitySearchPage.tsx'));
const EntityProfilePage = lazy(() => import('./console/entities/EntityProfilePage.tsx'));
const RiskOverviewPage = lazy(() => import('./console/risk/RiskOverviewPage.tsx'));
const MapPage = lazy(() => import('./console/map/MapPage.tsx'));
const DeadlineBoardPage = lazy(() => import('./console/clues/DeadlineBoardPage.tsx'));
const DispatchBoardPage = lazy(() => import('./console/dispatch/DispatchBoardPage.tsx'));
const DispatchOrderPage = lazy(() => import('./console/dispatch/DispatchOrderPage.tsx'));
const DispatchRulesPage = lazy(() => import('./console/dispatch/DispatchRulesPage.tsx'));
const DispatchAvailabilityPage = lazy(() => import('./console/dispatch/AvailabilityPage.tsx'));
const MergeQueuePage = lazy(() => import('./console/fusion/MergeQueuePage.tsx'));
const ClueListPage = lazy(() => import('./console/clues/ClueListPage.tsx'));
const ClueIntakePage = lazy(() => import('./console/clues/ClueIntakePage.tsx'));
const ClueDetailPage = lazy(() => import('./console/clues/ClueDetailPage.tsx'));
const ClueMergeQueuePage = lazy(() => import('./console/clues/ClueMergeQueuePage.tsx'));
const WorkOrdersPage = lazy(() => import('./console/clues/WorkOrdersPage.tsx'));
const SortRulesPage = lazy(() => import('./console/clues/SortRulesPage.tsx'));
const RefusalGroundsPage = lazy(() => import('./console/clues/RefusalGroundsPage.tsx'));
const ModelsPage = lazy(() => import('./console/analysis/ModelsPage.tsx'));
const FindingsPage = lazy(() => import('./console/analysis/FindingsPage.tsx'));
const ReviewPage = lazy(() => import('./console/analysis/ReviewPage.tsx'));
const CalendarSettingsPage = lazy(() => import('./console/system/calendar/CalendarSettingsPage.tsx'));
const Open311ClientsPage = lazy(() => import('./console/system/Open311ClientsPage.tsx'));
const PublicIntakePage = lazy(() => import('./public/PublicIntakePage.tsx'));
const PublicQueryPage = lazy(() => import('./public/PublicQueryPage.tsx'));
const ExchangePage = lazy(() => import('./console/system/exchange/ExchangePage.tsx'));
const UsersPage = lazy(() => import('./console/system/users/UsersPage.tsx'));
const RolesPage = lazy(() => import('./console/system/roles/RolesPage.tsx'));
const PermissionsPage = lazy(() => import('./console/system/permissions/PermissionsPage.tsx'));
const DepartmentsPage = lazy(() => import('./console/system/departments/DepartmentsPage.tsx'));
const GridsPage = lazy(() => import('./console/system/grids/GridsPage.tsx'));
const PostsPage = lazy(() => import('./console/system/posts/PostsPage.tsx'));
const DictsPage = lazy(() => import('./console/system/dicts/DictsPage.tsx'));
const SettingsPage = lazy(() => import('./console/system/settings/SettingsPage.tsx'));
const NoticesAdminPage = lazy(() => import('./console/system/notices/NoticesAdminPage.tsx'));
const SessionsPage = lazy(() => import('./console/security/sessions/SessionsPage.tsx'));
const SecurityPolicyPage = lazy(() => import('./console/security/policy/SecurityPolicyPage.tsx'));
const LoginLogPage = lazy(() => import('./console/audit/logins/LoginLogPage.tsx'));
const AuditLogPage = lazy(() => import('./console/audit/logs/AuditLogPage.tsx'));
const MyNoticesPage = lazy(() => import('./console/notices/MyNoticesPage.tsx'));
const InboxPage = lazy(() => import('./console/inbox/InboxPage.tsx'));
const WorkbenchPage = lazy(() => import('./console/analysis/WorkbenchPage.tsx'));
const ProfilePage = lazy(() => import('./console/profile/ProfilePage.tsx'));
const ChangePasswordPage = lazy(() => import('./console/login/ChangePasswordPage.tsx'));

export const router = createBrowserRouter([
  { path: '/login', element: <Lazy page={<LoginPage />} full /> },
  // 公众入口: no login (the citizen's submission form and progress page; the kiosk reuses them).
  { path: '/public/clues/new', element: <Lazy page={<PublicIntakePage />} full /> },
  { path: '/public/clues/query', element: <Lazy page={<PublicQueryPage />} full /> },
  {
    // Forced change of an initial, reset or expired password: signed in, but nothing else is reachable.
    path: '/change-password',
    element: (
      <RequireAuth>
        <Lazy page={<ChangePasswordPage />} full />
      </RequireAuth>
    ),
  },
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
        path: 'entities',
        element: (
          <RequirePermission permission="entity:profile:read">
            <EntitySearchPage />
          </RequirePermission>
        ),
      },
      {
        path: 'entities/merges',
        element: (
          <RequirePermission permission="entity:match:read">
            <MergeQueuePage />
          </RequirePermission>
        ),
      },
      {
        path: 'entities/:id',
        element: (
          <RequirePermission permission="entity:profile:read">
            <EntityProfilePage />
          </RequirePermission>
        ),
      },
      {
        path: 'risk',
        element: (
          <RequirePermission permission="entity:profile:read">
            <RiskOverviewPage />
          </RequirePermission>
        ),
      },
      {
        path: 'map',
        element: (
          <RequirePermission permission="entity:map:read">
            <MapPage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/deadlines',
        element: (
          <RequirePermission permission="clue:deadline:read">
            <DeadlineBoardPage />
          </RequirePermission>
        ),
      },
      {
        path: 'dispatch',
        element: (
          <RequirePermission permission="dispatch:order:read">
            <DispatchBoardPage />
          </RequirePermission>
        ),
      },
      {
        path: 'dispatch/orders/:id',
        element: (
          <RequirePermission permission="dispatch:order:read">
            <DispatchOrderPage />
          </RequirePermission>
        ),
      },
      {
        path: 'dispatch/rules',
        element: (
          <RequirePermission permission="dispatch:rule:read">
            <DispatchRulesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'dispatch/availability',
        element: (
          <RequirePermission permission="dispatch:availability:read">
            <DispatchAvailabilityPage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues',
        element: (
          <RequirePermission permission="clue:clue:read">
            <ClueListPage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/new',
        element: (
          <RequirePermission permission="clue:clue:create">
            <ClueIntakePage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/workorders',
        element: (
          <RequirePermission permission="clue:workorder:read">
            <WorkOrdersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/sort-rules',
        element: (
          <RequirePermission permission="clue:sort-rule:read">
            <SortRulesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'analysis/findings',
        element: (
          <RequirePermission permission="analysis:finding:read">
            <FindingsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'analysis/models',
        element: (
          <RequirePermission permission="analysis:model:read">
            <ModelsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'analysis/review',
        element: (
          <RequirePermission permission="analysis:review:read">
            <ReviewPage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/refusal-grounds',
        element: (
          <RequirePermission permission="clue:refusal-ground:read">
            <RefusalGroundsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/merges',
        element: (
          <RequirePermission permission="clue:clue:merge">
            <ClueMergeQueuePage />
          </RequirePermission>
        ),
      },
      {
        path: 'clues/:id',
        element: (
          <RequirePermission permission="clue:clue:read">
            <ClueDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/exchange',
        element: (
          <RequirePermission permission="system:exchange:read">
            <ExchangePage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/open311',
        element: (
          <RequirePermission permission="system:open311:read">
            <Open311ClientsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/calendar',
        element: (
          <RequirePermission permission="system:calendar:read">
            <CalendarSettingsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/users',
        element: (
          <RequirePermission permission="system:user:read">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/roles',
        element: (
          <RequirePermission permission="system:role:read">
            <RolesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/permissions',
        element: (
          <RequirePermission permission="system:role:read">
            <PermissionsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/departments',
        element: (
          <RequirePermission permission="system:department:read">
            <DepartmentsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/grids',
        element: (
          <RequirePermission permission="system:grid:read">
            <GridsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/posts',
        element: (
          <RequirePermission permission="system:post:read">
            <PostsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/dicts',
        element: (
          <RequirePermission permission="system:dict:read">
            <DictsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/settings',
        element: (
          <RequirePermission permission="system:setting:read">
            <SettingsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'system/notices',
        element: (
          <RequirePermission permission="system:notice:read">
            <NoticesAdminPage />
          </RequirePermission>
        ),
      },
      {
        path: 'security/sessions',
        element: (
          <RequirePermission permission="security:session:read">
            <SessionsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'security/policy',
        element: (
          <RequirePermission permission="security:policy:read">
            <SecurityPolicyPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit/logins',
        element: (
          <RequirePermission permission="audit:log:read">
            <LoginLogPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit/logs',
        element: (
          <RequirePermission permission="audit:log:read">
            <AuditLogPage />
          </RequirePermission>
        ),
      },
      {
        path: 'inbox',
        element: (
          <RequirePermission permission="inbox:item:read">
            <InboxPage />
          </RequirePermission>
        ),
      },
      {
        path: 'analysis',
        element: (
          <RequirePermission permission="analysis:judgment:read">
            <WorkbenchPage />
          </RequirePermission>
        ),
      },
      { path: 'notices', element: <MyNoticesPage /> },
      { path: 'profile', element: <ProfilePage /> },
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
