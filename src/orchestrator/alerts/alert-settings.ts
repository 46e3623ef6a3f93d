/** Where alerts go and what they link to (Airflow's [email] email_conn_id and [api] base_url). */
export interface AlertSettings {
  /** The SMTP connection emails are sent through. Default `smtp_default`. */
  smtpConnId: string;
  /** The web UI's address, for log links in alerts. Default http://127.0.0.1:8080 (SPARKIFY_BASE_URL in the CLI). */
  baseUrl: string;
}

export const defaultAlertSettings: AlertSettings = { smtpConnId: 'smtp_default', baseUrl: 'http://127.0.0.1:8080' };

/** The UI's page of a try's log: `/dags/<dag>/runs/<run>/tasks/<task>/logs/<try>`, each id encoded. */
export function logLink(baseUrl: string, key: { dagId: string; runId: string; taskId: string }, tryNumber: number): string {
  const e = encodeURIComponent;
  return `${baseUrl.replace(/\/+$/, '')}/dags/${e(key.dagId)}/runs/${e(key.runId)}/tasks/${e(key.taskId)}/logs/${tryNumber}`;
}
