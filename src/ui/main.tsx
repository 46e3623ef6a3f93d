import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { token, whenUnauthorized } from './api/client.ts';
import { go, href, useRoute, type Route } from './router.ts';
import { stateColors } from './states.ts';
import { Analytics } from './views/analytics.tsx';
import { Connections } from './views/connections.tsx';
import { DagList } from './views/dag-list.tsx';
import { DagPage } from './views/dag-page.tsx';
import { LineageView } from './views/lineage.tsx';
import { Login } from './views/login.tsx';
import { Variables } from './views/variables.tsx';

function App() {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(token.get() !== null);
  useEffect(() => whenUnauthorized(() => setSignedIn(false)), []);
  if (!signedIn) return <Login onDone={() => { setSignedIn(true); if (route.parts[0] === 'login' || route.parts.length === 0) go(href('dags')); }} />;
  return (
    <>
      <nav className="top">
        <a className="brand" href={href('dags')}>Sparkify</a>
        <a href={href('dags')}>DAGs</a>
        <a href={href('analytics')}>Analytics</a>
        <a href={href('lineage')}>Lineage</a>
        <a href={href('connections')}>Connections</a>
        <a href={href('variables')}>Variables</a>
        <button className="link right" onClick={() => { token.clear(); setSignedIn(false); }}>Log out</button>
      </nav>
      <main>{view(route)}</main>
    </>
  );
}

function view(route: Route) {
  const [first, second, third] = route.parts;
  switch (first) {
    case 'dags':
      return second === undefined ? <DagList /> : <DagPage dagId={second} tab={third ?? 'grid'} query={route.query} />;
    case 'analytics':
      return <Analytics />;
    case 'lineage':
      return <LineageView name={route.query.get('name') ?? ''} />;
    case 'connections':
      return <Connections />;
    case 'variables':
      return <Variables />;
    default:
      return <DagList />;
  }
}

// The state colours as classes (`.s-success`), from the one table in states.ts: grid cells and bars carry a class,
// not a style of their own each.
const stateStyles = document.createElement('style');
stateStyles.textContent = Object.entries(stateColors).map(([state, color]) => `.s-${state}{background:${color}}`).join('\n');
document.head.append(stateStyles);

createRoot(document.getElementById('root') as HTMLElement).render(<StrictMode><App /></StrictMode>);
