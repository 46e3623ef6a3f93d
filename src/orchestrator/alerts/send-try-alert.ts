import type { SerializedTask } from '../dag/serialized-dag.ts';
import type { ClaimedTask } from '../metadb/claim-task-instances.ts';
import { getConnection } from '../metadb/connections.ts';
import { appendLog } from '../metadb/task-logs.ts';
import type { RunnerDeps } from '../runner/runner-deps.ts';
import { sendMail } from '../hooks/smtp-hook.ts';
import { defaultAlertSettings } from './alert-settings.ts';
import { tryAlertEmail } from './try-alert-email.ts';

/**
 * Emails a failed or retried try to its task's addresses (emailOnFailure / emailOnRetry), from the executor's
 * process once the state is recorded: the state is then known for sure (not guessed by the task), and a try whose
 * process died or timed out is alerted too. No user code runs here, and the SMTP password never reaches the task's
 * process. A mail that cannot be sent is a line of the try's log; it never changes the try's outcome.
 */
export async function sendTryAlert(deps: RunnerDeps, claim: ClaimedTask, task: SerializedTask, state: 'failed' | 'up_for_retry', error: string): Promise<boolean> {
  const email = task.email;
  if (email === undefined || email.to.length === 0 || !(state === 'failed' ? email.onFailure : email.onRetry)) return false;
  const settings = deps.alerts ?? defaultAlertSettings;
  const message = tryAlertEmail(email.to, { ...claim, state, error, hostname: deps.hostname }, settings.baseUrl);
  const stamp = () => deps.clock.now().toISOString();
  try {
    const c = await getConnection(deps.metadb, deps.secrets, settings.smtpConnId);
    await sendMail({ conn_type: c.connType, host: c.host, port: c.port, login: c.login, password: c.password, extra: c.extra }, message);
    await appendLog(deps.metadb, claim, claim.tryNumber, `${stamp()} [runner] alert emailed to ${email.to.join(', ')}\n`);
    return true;
  } catch (e) {
    await appendLog(deps.metadb, claim, claim.tryNumber, `${stamp()} [runner] the alert email could not be sent: ${e instanceof Error ? e.message : String(e)}\n`).catch(() => undefined);
    return false;
  }
}
