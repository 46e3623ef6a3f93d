import { configError } from '../../core/errors.ts';
import { parseLocation, type Location } from '../../storage/location.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import type { S3Config } from '../../storage/s3/s3-config.ts';
import { describeConnection, extrasOf, textExtra, type HookConnection } from './connection.ts';

/** Where objects are: a local directory, or S3 (a bucket per location, as Airflow's S3Hook takes one per call). */
export type ObjectStoreOptions = { kind: 'local'; root: string } | { kind: 's3'; config: S3Config; bucket?: string };

/**
 * conn_type fs (or local): extra.path (or host) = the root directory. conn_type aws (or s3): login = access key id,
 * password = secret key (neither: the AWS SDK's standard chain), extra.region_name (or region, default us-east-1),
 * extra.endpoint_url (an S3-compatible server), schema = a default bucket.
 */
export function objectStoreOptions(connection: HookConnection): ObjectStoreOptions {
  const type = connection.conn_type.toLowerCase();
  const extras = extrasOf(connection);
  if (type === 'fs' || type === 'local') {
    const root = textExtra(connection, extras, 'path') ?? connection.host ?? undefined;
    if (!root) throw configError('connection (fs): extra.path (or host) names the directory');
    return { kind: 'local', root };
  }
  if (type === 'aws' || type === 's3') {
    if (Boolean(connection.login) !== Boolean(connection.password)) throw configError('connection (aws): login (access key id) and password (secret key) go together');
    const endpoint = textExtra(connection, extras, 'endpoint_url');
    const config: S3Config = {
      region: textExtra(connection, extras, 'region_name') ?? textExtra(connection, extras, 'region') ?? 'us-east-1',
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(connection.login && connection.password ? { credentials: { accessKeyId: connection.login, secretAccessKey: connection.password } } : {}),
    };
    return { kind: 's3', config, ...(connection.schema ? { bucket: connection.schema } : {}) };
  }
  throw configError(`the object-store hook takes an fs or aws connection, not ${JSON.stringify(connection.conn_type)}`);
}

/**
 * A hook over the object stores (src/storage/open-store.ts). `base` is the location keys are relative to; `open` is
 * what the pipelines take to open a location with this connection's settings. Stores load their SDK on first use.
 */
export class ObjectStoreHook {
  readonly description: string;
  readonly options: ObjectStoreOptions;

  constructor(connection: HookConnection) {
    this.options = objectStoreOptions(connection);
    this.description = describeConnection(connection);
  }

  /** The directory, or s3://bucket (the connection's, or `bucket`). */
  base(bucket?: string): string {
    if (this.options.kind === 'local') return this.options.root;
    const name = bucket ?? this.options.bucket;
    if (name === undefined) throw configError('connection (aws): name a bucket (the connection\'s schema, or per call)');
    return `s3://${name}`;
  }

  /** Opens the store behind a location with this connection's settings (an S3 location needs an aws connection). */
  readonly open = async (location: Location): Promise<ObjectStore> => {
    const options = this.options;
    if (location.kind === 's3' && options.kind !== 's3') throw configError(`an s3:// location needs an aws connection (${this.description})`);
    const { openStore } = await import('../../storage/open-store.ts');
    return openStore(location, options.kind === 's3' ? options.config : { region: 'us-east-1' });
  };

  /** The store at `base(bucket)`. */
  store(bucket?: string): Promise<ObjectStore> {
    return this.open(parseLocation(this.base(bucket)));
  }
}
