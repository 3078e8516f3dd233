/**
 * The route table. To add a page: import it and add one line. `nav` puts the route in the left navigation
 * (in the order of this array); routes without `nav` are reachable by link only. `section` says which nav
 * entry is highlighted while the route is open.
 */
import type { ReactNode } from 'react';
import { EscalationDetail } from './components/EscalationDetail';
import { AccountPage } from './pages/AccountPage';
import { AccountsPage } from './pages/AccountsPage';
import { BriefPage } from './pages/BriefPage';
import { ConnectorsPage } from './pages/ConnectorsPage';
import { EscalationsPage } from './pages/EscalationsPage';
import { ImportPage } from './pages/ImportPage';
import { ModelPage } from './pages/ModelPage';
import { PatternsPage } from './pages/PatternsPage';
import { PortfolioPage } from './pages/PortfolioPage';
import { RulesPage } from './pages/RulesPage';
import { SettingsPage } from './pages/SettingsPage';
import { TeamPage } from './pages/TeamPage';
import type { Params } from './router';

export interface RouteDef {
  path: string;
  title: string;
  nav?: boolean;
  section?: string;
  render: (params: Params) => ReactNode;
}

export const routes: RouteDef[] = [
  { path: '/portfolio', title: 'Portfolio', nav: true, render: () => <PortfolioPage /> },
  { path: '/escalations', title: 'Escalations', nav: true, render: () => <EscalationsPage /> },
  {
    path: '/escalations/:id',
    title: 'Escalation',
    section: '/escalations',
    render: (p) => <EscalationDetail escalationId={Number(p.id)} />,
  },
  { path: '/rules', title: 'Rules', nav: true, render: () => <RulesPage /> },
  { path: '/accounts', title: 'Accounts', nav: true, render: () => <AccountsPage /> },
  {
    path: '/accounts/:id',
    title: 'Account',
    section: '/accounts',
    render: (p) => <AccountPage id={Number(p.id)} />,
  },
  {
    path: '/accounts/:id/brief',
    title: 'Brief',
    section: '/accounts',
    render: (p) => <BriefPage id={Number(p.id)} />,
  },
  { path: '/patterns', title: 'Patterns', nav: true, render: () => <PatternsPage /> },
  { path: '/team', title: 'Team', nav: true, render: () => <TeamPage /> },
  { path: '/model', title: 'Model', nav: true, render: () => <ModelPage /> },
  { path: '/connectors', title: 'Connectors', nav: true, render: () => <ConnectorsPage /> },
  { path: '/import', title: 'Import', section: '/connectors', render: () => <ImportPage /> },
  { path: '/settings', title: 'Settings', nav: true, render: () => <SettingsPage /> },
];
