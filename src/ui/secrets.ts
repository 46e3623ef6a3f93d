// Airflow's sensitive names (core.sensitive_var_conn_names defaults): a variable named like a secret is never shown,
// even if a server sent its value. The API masks them too; this is the second lock on the same door.
const sensitive = ['access_token', 'api_key', 'apikey', 'authorization', 'passphrase', 'passwd', 'password', 'private_key', 'secret', 'token', 'keyfile_dict', 'service_account'];

export const masked = '***';

export function isSensitive(name: string): boolean {
  const n = name.toLowerCase();
  return sensitive.some((s) => n.includes(s));
}
