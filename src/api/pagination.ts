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

/** Shorthands for JSON schemas. */
export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const bool = { type: 'boolean' } as const;
export const nullableStr = { type: ['string', 'null'] } as const;
export const nullableInt = { type: ['integer', 'null'] } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const iso = (d: Date | null | undefined): string | null => (d == null ? null : d.toISOString());

export function object(properties: Record<string, unknown>, required: string[] = Object.keys(properties)): Record<string, unknown> {
  return { type: 'object', properties, required };
}

export function collection(key: string, item: Record<string, unknown>): Record<string, unknown> {
  return object({ [key]: { type: 'array', items: item }, total_entries: int });
}
