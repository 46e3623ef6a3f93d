import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { getConnection } from '../metadb/connections.ts';
import { getDagRun } from '../metadb/dag-runs.ts';
import { getDagVersion } from '../metadb/dags.ts';
import { claimDeadlineAlerts, finishDeadlineAlert, type ClaimedDeadlineAlert } from '../metadb/deadlines.ts';
import type { SecretBox } from '../metadb/secrets/secret-box.ts';
import { sendMail } from '../hooks/smtp-hook.ts';
import { defaultAlertSettings, type AlertSettings } from './alert-settings.ts';

/**
 * Emails the deadline misses waiting for one (recorded with alert_state pending by the scheduler's tick), each once:
 * claimed with SKIP LOCKED, then marked sent or failed with the reason. The addresses are those of the run's own DAG
 * version. No user code runs here; the SMTP password is read from the connection and never logged.
 */
export async function sendDeadlineAlerts(engine: SqlEngine, clock: Clock, secrets: SecretBox, settings: AlertSettings = defaultAlertSettings, limit = 20): Promise<{ sent: number; failed: number }> {
  const claimed = await engine.transaction((tx) => claimDeadlineAlerts(tx, limit, clock.now()));
  let sent = 0;
  for (const a of claimed) {
    let error: string | null = null;
    try {
      const to = await addressesOf(engine, a);
      const c = await getConnection(engine, secrets, settings.smtpConnId);
      await sendMail({ conn_type: c.connType, host: c.host, port: c.port, login: c.login, password: c.password, extra: c.extra }, deadlineEmail(to, a, settings.baseUrl));
      sent++;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    await finishDeadlineAlert(engine, a, { sent: error === null, error }, clock.now());
  }
  return { sent, failed: claimed.length - sent };
}

async function addressesOf(engine: SqlEngine, a: ClaimedDeadlineAlert): Promise<string[]> {
  const run = await getDagRun(engine, a.dagId, a.runId);
  const dag = run && (await getDagVersion(engine, a.dagId, run.version));
  const spec = a.taskId === null ? dag?.deadline : dag?.tasks.find((t) => t.id === a.taskId)?.deadline;
  return spec?.email ?? [];
}

export function deadlineEmail(to: string[], a: ClaimedDeadlineAlert, baseUrl: string) {
  const e = encodeURIComponent;
  const what = a.taskId === null ? `${a.dagId}` : `${a.dagId}.${a.taskId}`;
  return {
    to,
    subject: `Sparkify deadline missed: ${what} (run ${a.runId})`,
    text: [
      `${a.taskId === null ? 'DAG run' : `Task ${a.taskId} of run`} ${a.runId} of DAG ${a.dagId} had not finished by its deadline.`,
      '',
      `DAG: ${a.dagId}`,
      ...(a.taskId === null ? [] : [`Task: ${a.taskId}`]),
      `Run: ${a.runId}`,
      `Deadline: ${a.deadline.toISOString()} (${a.reference} + interval)`,
      `Seen missed at: ${a.missedAt.toISOString()}`,
      '',
      `Run: ${baseUrl.replace(/\/+$/, '')}/dags/${e(a.dagId)}/runs/${e(a.runId)}`,
      '',
    ].join('\n'),
  };
}
