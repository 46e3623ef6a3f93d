import type { FastifyRequest } from 'fastify';

interface PropertySchema {
  type?: string | string[];
  items?: PropertySchema;
}

/**
 * Bodies are validated without type coercion (`"5"` is not a number, `"true"` is not a boolean: a wrong type is a 422),
 * but a query string and path parameters are text by nature: this turns the ones a route's schema types as integer,
 * number or boolean into those types before validation, leaving anything else for the validator to refuse. A repeated
 * key (`?state=a&state=b`) is an array already; a single one becomes an array where the schema wants one.
 */
export async function coerceQueryAndParams(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema as { querystring?: { properties?: Record<string, PropertySchema> }; params?: { properties?: Record<string, PropertySchema> } } | undefined;
  if (schema === undefined) return;
  coerce(request.query as Record<string, unknown>, schema.querystring?.properties);
  coerce(request.params as Record<string, unknown>, schema.params?.properties);
}

function coerce(values: Record<string, unknown> | undefined, properties: Record<string, PropertySchema> | undefined): void {
  if (values === undefined || properties === undefined) return;
  for (const [name, property] of Object.entries(properties)) {
    const value = values[name];
    if (value === undefined) continue;
    if (types(property).includes('array')) {
      const list = Array.isArray(value) ? value : [value];
      values[name] = list.map((v) => scalar(v, property.items ?? {}));
    } else if (!Array.isArray(value)) values[name] = scalar(value, property);
  }
}

const types = (p: PropertySchema) => (Array.isArray(p.type) ? p.type : p.type === undefined ? [] : [p.type]);

function scalar(value: unknown, property: PropertySchema): unknown {
  if (typeof value !== 'string') return value;
  const t = types(property);
  if ((t.includes('integer') && /^-?\d{1,15}$/.test(value)) || (t.includes('number') && value.trim() !== '' && Number.isFinite(Number(value)))) return Number(value);
  if (t.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
