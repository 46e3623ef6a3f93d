import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import { sql } from './sql.ts';

const context = (key: string) => `variable:${key}`;

/** Sets a variable's text (JSON or not: `getVariableJson` parses it), sealed at rest like every secret. */
export async function setVariable(session: SqlSession, box: SecretBox, key: string, value: string, description: string | null = null): Promise<void> {
  await session.query(sql('set-variable'), [key, box.seal(value, context(key)), description]);
}

/** The variable's text, or undefined. */
export async function getVariable(session: SqlSession, box: SecretBox, key: string): Promise<string | undefined> {
  const [r] = await session.query<{ value_encrypted: string }>(sql('get-variable'), [key]);
  return r === undefined ? undefined : box.open(r.value_encrypted, context(key));
}

/** The variable's value parsed as JSON (templates' `var.json.KEY`); SPK_E_NOT_FOUND or SPK_E_CONFIG when it cannot be. */
export async function getVariableJson(session: SqlSession, box: SecretBox, key: string): Promise<unknown> {
  const text = await getVariable(session, box, key);
  if (text === undefined) throw new SparkifyError('SPK_E_NOT_FOUND', `no variable ${key}`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SparkifyError('SPK_E_CONFIG', `variable ${key} is not JSON`, { cause });
  }
}

/** Every variable's key and description; values stay sealed (`getVariable` opens one). */
export async function listVariables(session: SqlSession): Promise<{ key: string; description: string | null }[]> {
  return session.query<{ key: string; description: string | null }>(sql('list-variables'));
}

export async function deleteVariable(session: SqlSession, key: string): Promise<boolean> {
  return (await session.query(sql('delete-variable'), [key])).length > 0;
}

