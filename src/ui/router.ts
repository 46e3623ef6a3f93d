import { useEffect, useState } from 'react';

// Hash routes (#/dags/sparkify/grid?run=…): the server serves one index.html and never needs to know the views.

export interface Route {
  /** The path's segments, decoded: ['dags', 'sparkify', 'grid']. */
  parts: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

/** A link target: `href('dags', id, 'grid', { run })`. Empty query values are left out. */
export function href(...parts: (string | Record<string, string | undefined>)[]): string {
  const query = new URLSearchParams();
  const path: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') path.push(encodeURIComponent(p));
    else for (const [k, v] of Object.entries(p)) if (v) query.set(k, v);
  }
  const q = query.toString();
  return `#/${path.join('/')}${q ? `?${q}` : ''}`;
}

export function go(target: string): void {
  location.hash = target;
}
