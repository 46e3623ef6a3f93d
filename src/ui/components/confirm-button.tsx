import { useState } from 'react';

/** A button that asks once more inline (no window.confirm: it blocks the page and hides what is being confirmed). */
export function ConfirmButton({ label, question, onConfirm }: { label: string; question: string; onConfirm: () => Promise<void> | void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) return <button onClick={() => setAsking(true)}>{label}</button>;
  return (
    <span className="confirm">
      {question}{' '}
      <button disabled={busy} onClick={async () => {
        setBusy(true);
        try { await onConfirm(); } finally { setBusy(false); setAsking(false); }
      }}>Confirm</button>{' '}
      <button className="link" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
