/** Shorthands for the routes' JSON schemas (fastify validates, serialises and documents from them). */
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
