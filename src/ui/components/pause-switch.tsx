import { useEffect, useState } from 'react';
import { patch, seg } from '../api/client.ts';

/**
 * Airflow's pause toggle. It flips at once (the PATCH follows), so the switch never springs back while the request is
 * in flight; a refused PATCH puts it back and says why.
 */
export function PauseSwitch({ dagId, paused, onChanged }: { dagId: string; paused: boolean; onChanged: () => void }) {
  const [wanted, setWanted] = useState<boolean>();
  const [error, setError] = useState<string>();
  useEffect(() => setWanted(undefined), [paused]);
  const shown = wanted ?? paused;
  const toggle = async () => {
    setWanted(!shown);
    try {
      await patch(`/api/v2/dags/${seg(dagId)}`, { is_paused: !shown });
      setError(undefined);
      onChanged();
    } catch (e) {
      setWanted(undefined);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <label className="switch" title={shown ? 'paused: click to unpause' : 'active: click to pause'}>
      <input type="checkbox" aria-label={`${dagId} active`} checked={!shown} onChange={() => void toggle()} />
      <span>{shown ? 'paused' : 'on'}</span>
      {error && <span className="error" role="alert">{error}</span>}
    </label>
  );
}
