import { useEffect, type ComponentType, type ReactNode } from 'react';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { onEvent } from './bridge';
import type { SessionView } from '../../core/contract/auth';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Toasts } from './components/Toasts';
import { AccountFoot } from './features/auth/AccountFoot';
import { FirstAccountScreen } from './features/auth/FirstAccountScreen';
import { SignInScreen } from './features/auth/SignInScreen';
import { useIdleLock } from './features/auth/useIdleLock';
import { useUndoShortcuts } from './hooks/useUndoShortcuts';
import { ImportSection } from './features/import';
import { MuniSection } from './features/muni';
import { PeopleSection } from './features/people';
import { ProgrammesSection } from './features/programmes';
import { ReportsSection } from './features/reports';
import { SchoolsSection } from './features/schools';
import { SettingsSection } from './features/settings';
import { SetupScreen } from './features/setup/SetupScreen';
import { StartSection } from './features/start';
import { SyncSection } from './features/sync';
import { ClockWarning } from './features/sync/ClockWarning';
import { TrashSection } from './features/trash';
import { VisitsSection } from './features/visits';
import { t } from './i18n/ru';
import { useApp } from './stores/app';
import { useSession } from './stores/session';

const NAV = [
  { path: '/', label: t.common.nav.start },
  { path: '/schools', label: t.common.nav.schools },
  { path: '/people', label: t.common.nav.people },
  { path: '/visits', label: t.common.nav.visits },
  { path: '/programmes', label: t.common.nav.programmes },
  { path: '/muni', label: t.common.nav.muni },
  { path: '/reports', label: t.common.nav.reports },
  { path: '/sync', label: t.common.nav.sync },
  { path: '/import', label: t.imports.nav },
] as const;

const FOOT_NAV = [
  { path: '/trash', label: t.common.nav.trash },
  { path: '/settings', label: t.common.nav.settings },
] as const;

function NavLink({ path, label }: { path: string; label: string }) {
  const [location] = useLocation();
  const active = path === '/' ? location === '/' : location === path || location.startsWith(`${path}/`);
  return (
    <Link href={path} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
      {label}
    </Link>
  );
}

/** A screen inside its own error boundary, cleared when the user goes to another location. */
function Screen({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  return <ErrorBoundary resetKey={location}>{children}</ErrorBoundary>;
}

const screen = (Section: ComponentType) => (
  <Screen>
    <Section />
  </Screen>
);

function Shell({ session, idleMinutes }: { session: SessionView; idleMinutes: number }) {
  const info = useApp((s) => s.info);
  useIdleLock(idleMinutes);
  useUndoShortcuts();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Разделы">
        <div className="brand">
          <div className="brand-title">500+</div>
          <div className="brand-sub">{info?.district?.name}</div>
        </div>
        {NAV.map((n) => (
          <NavLink key={n.path} {...n} />
        ))}
        <div className="nav-spacer" />
        {FOOT_NAV.map((n) => (
          <NavLink key={n.path} {...n} />
        ))}
        <AccountFoot session={session} />
      </nav>
      <main className="content">
        <ClockWarning />
        <Switch>
          <Route path="/">{screen(StartSection)}</Route>
          <Route path="/schools" nest>{screen(SchoolsSection)}</Route>
          <Route path="/people" nest>{screen(PeopleSection)}</Route>
          <Route path="/visits" nest>{screen(VisitsSection)}</Route>
          <Route path="/programmes" nest>{screen(ProgrammesSection)}</Route>
          <Route path="/muni" nest>{screen(MuniSection)}</Route>
          <Route path="/reports" nest>{screen(ReportsSection)}</Route>
          <Route path="/sync" nest>{screen(SyncSection)}</Route>
          <Route path="/import" nest>{screen(ImportSection)}</Route>
          <Route path="/trash">{screen(TrashSection)}</Route>
          <Route path="/settings">{screen(SettingsSection)}</Route>
          <Route>
            <section className="page">
              <h1>Страница не найдена</h1>
              <Link href="/">На главную</Link>
            </section>
          </Route>
        </Switch>
      </main>
    </div>
  );
}

/**
 * The gate: the laptop's auth state first. Locked → sign-in; no account yet → the first-run
 * screen, then the coordinator's first account; signed in → the app.
 */
export function App() {
  const { info, loadError, refreshInfo } = useApp();
  const auth = useSession((s) => s.auth);
  const authError = useSession((s) => s.error);
  const refreshSession = useSession((s) => s.refresh);
  useEffect(() => {
    // The session store loads app info too once the laptop is open.
    void refreshSession();
    return onEvent((e) => {
      if (e.type === 'data.changed' && (e.tables.includes('districts') || e.tables.includes('regions'))) void refreshInfo();
    });
  }, [refreshInfo, refreshSession]);

  let body;
  if (!auth) body = authError ? <div className="fatal" role="alert">{authError}</div> : <div className="loading">{t.common.loading}</div>;
  // Keyed by the first account: after an idle lock the same person is chosen again.
  else if (auth.status === 'locked') body = <SignInScreen key={auth.accounts[0]?.id} auth={auth} />;
  else if (loadError) body = <div className="fatal" role="alert">{loadError}</div>;
  else if (!info) body = <div className="loading">{t.common.loading}</div>;
  else if (!info.district) body = screen(SetupScreen);
  else if (auth.status === 'setup' || !auth.session) body = <FirstAccountScreen />;
  // Keyed by the account: another account signed in sees its own screens from scratch.
  else body = <Shell key={auth.session.id} session={auth.session} idleMinutes={auth.idleMinutes} />;
  return (
    <Router hook={useHashLocation}>
      {body}
      <Toasts />
    </Router>
  );
}
