import { Liquid, type FS } from 'liquidjs';
import { SparkifyError, bounded } from '../../core/errors.ts';
import type { JsonValue } from '../dag/json-value.ts';
import { ConnectionsDrop, VariablesDrop } from './lookup-drops.ts';
import { templateValues, type RunFacts, type TemplateLookups } from './template-context.ts';

/** No template may read a file: `{% include %}`, `{% render %}` and `{% layout %}` find nothing. */
const noFiles: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => {
    throw new SparkifyError('SPK_E_TEMPLATE', `templates cannot read files (${file})`);
  },
  readFileSync: (file) => {
    throw new SparkifyError('SPK_E_TEMPLATE', `templates cannot read files (${file})`);
  },
  resolve: (_dir, file) => file,
};

const addDays = (ds: unknown, days: unknown) => {
  const base = Date.parse(`${String(ds).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(base) || !Number.isInteger(Number(days))) throw new SparkifyError('SPK_E_TEMPLATE', `ds_add: ${JSON.stringify(ds)}, ${JSON.stringify(days)} is not a date and a whole number of days`);
  return new Date(base + Number(days) * 86_400_000).toISOString().slice(0, 10);
};

/**
 * The engine: Liquid (no code runs in a template: no expressions calling functions, no prototype walk — only own
 * properties are read), strict (an unknown variable or filter is an error, not an empty string), dates formatted in
 * UTC, and bounded against a template that would take the worker down (size, time, memory).
 */
function engine(): Liquid {
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    timezoneOffset: 0,
    fs: noFiles,
    relativeReference: false,
    parseLimit: 1_000_000,
    renderLimit: 5_000,
    memoryLimit: 10_000_000,
    cache: 512,
  });
  // Airflow's macros.ds_add as a filter: {{ ds | ds_add: -1 }}.
  liquid.registerFilter('ds_add', addDays);
  return liquid;
}

let shared: Liquid | undefined;

/** Renders one template with a run's context; errors are SPK_E_TEMPLATE naming what failed. */
export async function renderTemplate(text: string, run: RunFacts, lookups: TemplateLookups): Promise<string> {
  shared ??= engine();
  const context = { ...templateValues(run), var: new VariablesDrop(lookups), conn: new ConnectionsDrop(lookups) };
  try {
    return await shared.parseAndRender(text, context);
  } catch (error) {
    throw templateError(error, text);
  }
}

/**
 * `params` with each of `fields` rendered: a string is a template; a list or object is rendered in its strings (as
 * Airflow renders nested fields); other values are kept. Returns a copy.
 */
export async function renderTemplateFields<P extends Record<string, JsonValue>>(params: P, fields: readonly string[], run: RunFacts, lookups: TemplateLookups): Promise<P> {
  const out: Record<string, JsonValue> = { ...params };
  const render = async (v: JsonValue, path: string): Promise<JsonValue> => {
    if (typeof v === 'string') {
      try {
        return await renderTemplate(v, run, lookups);
      } catch (error) {
        throw new SparkifyError('SPK_E_TEMPLATE', `${path}: ${(error as Error).message.replace(/^SPK_E_TEMPLATE: /, '')}`, { cause: error, details: { field: path } });
      }
    }
    if (Array.isArray(v)) return Promise.all(v.map((x, i) => render(x, `${path}[${i}]`)));
    if (v !== null && typeof v === 'object') {
      const o: Record<string, JsonValue> = {};
      for (const [k, x] of Object.entries(v)) o[k] = await render(x, `${path}.${k}`);
      return o;
    }
    return v;
  };
  for (const f of fields) if (Object.hasOwn(params, f)) out[f] = await render(params[f] as JsonValue, f);
  return out as P;
}

function templateError(error: unknown, text: string): SparkifyError {
  // Liquid wraps what a drop threw (an SPK_E_TEMPLATE naming the variable) in its RenderError, adding the position.
  const message = (error instanceof Error ? (error.message.split('\n', 1)[0] as string) : String(error)).replaceAll('SPK_E_TEMPLATE: ', '');
  return new SparkifyError('SPK_E_TEMPLATE', `${message} in template ${JSON.stringify(bounded(text, 200))}`, { cause: error });
}
