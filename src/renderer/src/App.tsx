/** The app shell: left navigation, top bar, global progress bar, and the routed page. */
import { useEffect } from 'react';
import { api } from './api/client';
import { ProgressBar } from './components/ProgressBar';
import { TopBar } from './components/TopBar';
import { DEFAULT_PATH, href, matchPath, usePath } from './router';
import { routes } from './routes';
import { usePortfolio } from './state/portfolio';
import { useProgress } from './state/progress';

const Nav = ({ active }: { active: string }) => (
  <nav className="sidenav" aria-label="Main">
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        ◆
      </span>
      Bellwether
    </div>
    <ul>
      {routes
        .filter((r) => r.nav)
        .map((r) => (
          <li key={r.path}>
            <a href={href(r.path)} aria-current={active === r.path ? 'page' : undefined}>
              {r.title}
            </a>
          </li>
        ))}
    </ul>
  </nav>
);

export const App = () => {
  const path = usePath();
  const load = usePortfolio((s) => s.load);
  const updateProgress = useProgress((s) => s.update);

  useEffect(() => {
    void load();
    const offProgress = api.on('progress', updateProgress);
    const offData = api.on('data.changed', () => void load());
    return () => {
      offProgress();
      offData();
    };
  }, [load, updateProgress]);

  let page: React.ReactNode = null;
  let active = '';
  let title = 'Bellwether';
  for (const r of routes) {
    const params = matchPath(r.path, path);
    if (params) {
      page = r.render(params);
      active = r.section ?? r.path;
      title = `${r.title} · Bellwether`;
      break;
    }
  }

  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <Nav active={active} />
      <div className="shell-main">
        <TopBar />
        <ProgressBar />
        <main id="main" className="content" tabIndex={-1}>
          {page ?? (
            <div className="page">
              <div className="state state-empty">
                <h2>Page not found</h2>
                <p>
                  There is no page at <code>{path}</code>. <a href={href(DEFAULT_PATH)}>Go to Accounts</a>.
                </p>
              </div>
            </div>
          )}
        </main>
      </div>
    </div>
  );
};
