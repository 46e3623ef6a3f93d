import { Drop } from 'liquidjs';
import { SparkifyError } from '../../core/errors.ts';
import type { TemplateLookups } from './template-context.ts';

const unknown = (what: string) => new SparkifyError('SPK_E_TEMPLATE', `unknown ${what}`, { details: { name: what } });

/**
 * `var.value.NAME` (the text) and `var.json.NAME` (parsed): looked up when a template names them, so a run only reads
 * the variables its templates use. A missing one is an error naming it, as a missing context value is.
 */
export class VariablesDrop extends Drop {
  readonly value: Drop;
  readonly json: Drop;

  constructor(lookups: TemplateLookups) {
    super();
    this.value = new LookupDrop(async (name) => {
      const v = await lookups.variable(name);
      if (v === undefined) throw unknown(`variable var.value.${name}`);
      return v;
    });
    this.json = new LookupDrop(async (name) => {
      const v = await lookups.variable(name);
      if (v === undefined) throw unknown(`variable var.json.${name}`);
      try {
        return JSON.parse(v);
      } catch (error) {
        throw new SparkifyError('SPK_E_TEMPLATE', `variable var.json.${name} is not JSON`, { cause: error });
      }
    });
  }
}

/** `conn.ID.field`: a connection's fields; a missing connection, or a field it lacks, is an error naming it. */
export class ConnectionsDrop extends Drop {
  readonly #lookups: TemplateLookups;

  constructor(lookups: TemplateLookups) {
    super();
    this.#lookups = lookups;
  }

  override async liquidMethodMissing(id: string | number): Promise<Drop> {
    const fields = await this.#lookups.connection(String(id));
    if (fields === undefined) throw unknown(`connection conn.${id}`);
    return new LookupDrop((field) => {
      if (!Object.hasOwn(fields, field)) throw unknown(`field conn.${id}.${field}`);
      return fields[field];
    });
  }
}

class LookupDrop extends Drop {
  readonly #get: (name: string) => unknown;

  constructor(get: (name: string) => unknown) {
    super();
    this.#get = get;
  }

  override liquidMethodMissing(name: string | number): unknown {
    return this.#get(String(name));
  }
}
