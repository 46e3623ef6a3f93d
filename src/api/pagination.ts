/** limit/offset as Airflow's API takes them (default 50 a page); past the maximum is a 422, not a silent cap. */
export const maxPageLimit = 1000;

export const pageQuery = {
  limit: { type: 'integer', minimum: 0, maximum: maxPageLimit, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

export interface PageParams {
  limit: number;
  offset: number;
}

/** One page of a list read whole (the small ones: DAGs, connections, variables, pools, import errors). */
export function page<T>(all: readonly T[], { limit, offset }: PageParams): T[] {
  return all.slice(offset, offset + limit);
}
