import type { SecretBox } from '../../../orchestrator/metadb/secrets/secret-box.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { ApiProblem } from '../../problem.ts';

/** What a secret that is set reads as (Airflow's mask): never its value, nor its length. */
export const masked = '***';

/** Airflow's sensitive names: a variable or extra key containing one of them is masked wherever it is shown. */
const sensitive = ['access_token', 'api_key', 'apikey', 'authorization', 'passphrase', 'passwd', 'password', 'private_key', 'secret', 'token', 'keyfile_dict', 'service_account'];
export const isSensitiveName = (name: string) => sensitive.some((s) => name.toLowerCase().includes(s));

export function box(deps: ApiDeps): SecretBox {
  if (deps.secrets === undefined) throw new ApiProblem(503, 'this server was started without the secrets key, so connections and variables cannot be read or written');
  return deps.secrets;
}
