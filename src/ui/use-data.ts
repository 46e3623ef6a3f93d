import { useCallback, useEffect, useRef, useState } from 'react';

export interface Data<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/**
 * Loads `load()` and, when `pollMs` is given, again every `pollMs` while the view is shown (the grid and the graph
 * follow a running DAG this way). A reply that arrives after the inputs changed is dropped; one equal to the last
 * keeps the last object.
 */
export function useData<T>(load: () => Promise<T>, deps: readonly unknown[], pollMs?: number): Data<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const lastText = useRef<string>(undefined);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    const mine = ++generation.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      load().then(
        (d) => {
          if (mine !== generation.current) return;
          // A poll that brings what is shown keeps the same object, so memoised views do not render again.
          const text = JSON.stringify(d);
          if (text !== lastText.current) {
            lastText.current = text;
            setData(d);
          }
          setError(undefined);
        },
        (e: unknown) => { if (mine === generation.current) setError(e instanceof Error ? e.message : String(e)); },
      ).finally(() => {
        if (pollMs !== undefined && mine === generation.current) timer = setTimeout(run, pollMs);
      });
    };
    run();
    return () => {
      generation.current++;
      if (timer !== undefined) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, pollMs]);
  return { data, error, reload };
}
