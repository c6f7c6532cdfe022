import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { UserManager } from 'oidc-client-ts';
import { answer, createApi, createTypedClient } from './api.ts';
import { AppContext, type AppContextValue } from './app-context.tsx';
import { completeSignIn, createUserManager, sessionOf, type Role, type Session } from './auth.ts';
import { loadConfig, type PortalConfig } from './config.ts';
import { useI18n, type Locale } from './i18n.tsx';
import { BankStatements } from './pages/BankStatements.tsx';
import { BankStatementPage } from './pages/bank/BankStatementPage.tsx';
import { InvoiceList } from './pages/InvoiceList.tsx';
import { InvoicePage } from './pages/invoice/InvoicePage.tsx';
import { ManualInvoice } from './pages/ManualInvoice.tsx';
import { Runs } from './pages/Runs.tsx';
import { Overdue } from './pages/Overdue.tsx';
import { reminderText } from './pages/reminders-text.ts';
import { Setup } from './pages/Setup.tsx';
import { Work } from './pages/work/Work.tsx';
import { ErrorText, PageTitle, setFirmTimeZone } from './ui.tsx';

function useHashRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash || '#/invoices');
  useEffect(() => {
    const listener = () => setHash(window.location.hash || '#/invoices');
    window.addEventListener('hashchange', listener);
    return () => window.removeEventListener('hashchange', listener);
  }, []);
  return hash;
}

interface Boot {
  readonly config: PortalConfig;
  readonly manager: UserManager;
  readonly session: Session | undefined;
}

export function App() {
  const { t } = useI18n();
  const [boot, setBoot] = useState<Boot>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    void (async () => {
      try {
        const config = await loadConfig();
        const manager = createUserManager(config);
        const { user, returnTo } = await completeSignIn(manager);
        if (returnTo && returnTo !== window.location.hash) window.location.hash = returnTo;
        setBoot({ config, manager, session: sessionOf(user) });
      } catch (caught) {
        setError(caught);
      }
    })();
  }, []);

  if (error) {
    return (
      <main id="main">
        <PageTitle>{t('appName')}</PageTitle>
        <ErrorText error={error} />
        <button type="button" onClick={() => window.location.assign('/')}>
          {t('retry')}
        </button>
      </main>
    );
  }
  if (!boot) return <p role="status">{t('loading')}</p>;
  if (!boot.session) return <SignIn manager={boot.manager} environment={boot.config.environment} />;
  return <SignedIn boot={boot} session={boot.session} />;
}

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="language">
      {t('language')}{' '}
      <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
        <option value="nl" lang="nl">
          Nederlands
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </label>
  );
}

function SignIn({ manager, environment }: { manager: UserManager; environment: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <header className="top">
        <span className="brand">
          {t('appName')}
          {environment ? ` (${environment})` : ''}
        </span>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin">
        <PageTitle>{t('signInTitle')}</PageTitle>
        <p>{t('signInIntro')}</p>
        <button
          type="button"
          className="primary"
          onClick={() => void manager.signinRedirect({ state: { returnTo: window.location.hash } })}
        >
          {t('signIn')}
        </button>
      </main>
    </>
  );
}

const navItems: {
  hash: string;
  label: 'navInvoices' | 'navManual' | 'navWork' | 'navBank' | 'navRuns' | 'navSetup';
  role?: Role;
}[] = [
  { hash: '#/invoices', label: 'navInvoices' },
  { hash: '#/manual', label: 'navManual', role: 'billing' },
  { hash: '#/work', label: 'navWork' },
  { hash: '#/bank', label: 'navBank' },
  { hash: '#/runs', label: 'navRuns' },
  { hash: '#/setup', label: 'navSetup', role: 'admin' },
];

function SignedIn({ boot, session }: { boot: Boot; session: Session }) {
  const { t, locale } = useI18n();
  const hash = useHashRoute();
  const [current, setCurrent] = useState(session);
  const signOut = useCallback(() => {
    void boot.manager.signoutRedirect({ id_token_hint: current.idToken }).catch(async () => {
      await boot.manager.removeUser();
      window.location.assign('/');
    });
  }, [boot.manager, current.idToken]);
  const value = useMemo<AppContextValue>(() => {
    const unauthorized = () => {
      void boot.manager.removeUser().then(() => setCurrent((previous) => ({ ...previous, idToken: '' })));
    };
    const api = createApi(boot.config.apiUrl, () => current.idToken, unauthorized);
    const client = createTypedClient(boot.config.apiUrl, () => current.idToken, unauthorized);
    return {
      api,
      client,
      session: current,
      can: (role) => current.roles.includes(role),
      navigate: (next) => {
        window.location.hash = next;
      },
    };
  }, [boot, current]);
  // the firm's time zone before any page proposes a date ("today" is the firm's calendar date)
  const [zoneRead, setZoneRead] = useState(false);
  const signedIn = Boolean(current.idToken);
  useEffect(() => {
    if (!signedIn) return;
    void answer(value.client.GET('/settings'))
      .then(({ data }) => setFirmTimeZone(data.timeZone))
      .catch(() => setFirmTimeZone(undefined))
      .finally(() => setZoneRead(true));
  }, [signedIn, value.client]);
  useEffect(() => {
    boot.manager.events.addUserLoaded((user) => {
      const next = sessionOf(user);
      if (next) setCurrent(next);
    });
  }, [boot.manager]);

  if (!current.idToken) return <SignIn manager={boot.manager} environment={boot.config.environment} />;

  const [, section, id] = hash.split('/');
  let page: ReactNode;
  if (section === 'invoices' && id) page = <InvoicePage key={id} invoiceId={decodeURIComponent(id)} />;
  else if (section === 'manual' && value.can('billing')) page = <ManualInvoice key={hash} />;
  else if (section === 'bank' && id) page = <BankStatementPage key={id} statementId={decodeURIComponent(id)} />;
  else if (section === 'bank') page = <BankStatements />;
  else if (section === 'runs') page = <Runs />;
  else if (section === 'overdue') page = <Overdue key={id ?? ''} invoiceId={id ? decodeURIComponent(id) : undefined} />;
  else if (section === 'setup') page = <Setup />;
  else if (section === 'work') page = <Work />;
  else page = <InvoiceList />;
  if (!zoneRead) page = <p role="status">{t('loading')}</p>;
  const active = `#/${section ?? 'invoices'}`;

  return (
    <AppContext.Provider value={value}>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link; the app routes on the hash, so it moves focus itself */}
      <a
        className="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('skip')}
      </a>
      <header className="top">
        <span className="brand">
          {t('appName')}
          {boot.config.environment ? ` (${boot.config.environment})` : ''}
        </span>
        <nav aria-label={t('mainNav')}>
          <ul>
            {navItems
              .filter((item) => !item.role || value.can(item.role))
              .map((item) => (
                <li key={item.hash}>
                  <a href={item.hash} aria-current={active === item.hash ? 'page' : undefined}>
                    {t(item.label)}
                  </a>
                </li>
              ))}
            <li>
              <a href="#/overdue" aria-current={active === '#/overdue' ? 'page' : undefined}>
                {reminderText(locale)('navOverdue')}
              </a>
            </li>
          </ul>
        </nav>
        <span className="who">{t('signedInAs', { user: current.username, roles: current.roles.join(', ') })}</span>
        <LanguageSwitch />
        <button type="button" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </AppContext.Provider>
  );
}
