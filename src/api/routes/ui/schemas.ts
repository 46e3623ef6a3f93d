/** Path and query schemas the UI routes share (validated by fastify; query integers coerced by query-coercion.ts). */
export const dagParams = {
  type: 'object',
  properties: { dag_id: { type: 'string', minLength: 1, maxLength: 250 } },
  required: ['dag_id'],
} as const;

export const runParams = {
  type: 'object',
  properties: { dag_id: { type: 'string', minLength: 1, maxLength: 250 }, dag_run_id: { type: 'string', minLength: 1, maxLength: 250 } },
  required: ['dag_id', 'dag_run_id'],
} as const;

export const limitQuery = (max: number, fallback: number) => ({
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: max, default: fallback } },
  additionalProperties: false,
}) as const;

export type DagParams = { dag_id: string };
export type RunParams = { dag_id: string; dag_run_id: string };
