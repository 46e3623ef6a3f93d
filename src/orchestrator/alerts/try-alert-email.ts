import type { MailMessage } from '../hooks/smtp-hook.ts';
import { logLink } from './alert-settings.ts';

export interface TryAlert {
  dagId: string;
  runId: string;
  taskId: string;
  tryNumber: number;
  maxTries: number;
  state: 'failed' | 'up_for_retry';
  error: string;
  hostname: string;
}

/** The email of a failed or retried try (Airflow's default alert): what failed, where, why, and the log's address. */
export function tryAlertEmail(to: string[], a: TryAlert, baseUrl: string): MailMessage {
  const what = a.state === 'failed' ? 'failed' : 'up for retry';
  const link = logLink(baseUrl, a, a.tryNumber);
  return {
    to,
    subject: `Sparkify alert: ${a.dagId}.${a.taskId} try ${a.tryNumber} of ${a.maxTries} ${what} (run ${a.runId})`,
    text: [
      `Task ${a.taskId} of DAG ${a.dagId} ${a.state === 'failed' ? 'failed' : 'failed and will be retried'}.`,
      '',
      `DAG: ${a.dagId}`,
      `Task: ${a.taskId}`,
      `Run: ${a.runId}`,
      `Try: ${a.tryNumber} of ${a.maxTries}`,
      `State: ${a.state}`,
      `Host: ${a.hostname}`,
      `Error: ${a.error}`,
      '',
      `Log: ${link}`,
      '',
    ].join('\n'),
  };
}
