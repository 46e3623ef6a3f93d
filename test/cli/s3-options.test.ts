import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileS3Config } from '../../src/cli/s3-options.ts';
import { SparkifyError } from '../../src/core/errors.ts';

test('S3 settings: flags over SPARKIFY_S3_* over AWS_REGION; keys only from the environment, both or neither', () => {
  assert.deepEqual(compileS3Config({}, {}), { region: 'us-east-1' });
  assert.deepEqual(compileS3Config({}, { AWS_REGION: 'eu-west-1' }), { region: 'eu-west-1' });
  assert.deepEqual(compileS3Config({ region: 'us-west-2', endpoint: 'http://127.0.0.1:9000' }, { SPARKIFY_S3_REGION: 'eu-west-1', SPARKIFY_S3_ENDPOINT: 'http://x:1' }),
    { region: 'us-west-2', endpoint: 'http://127.0.0.1:9000' });
  assert.deepEqual(compileS3Config({}, { SPARKIFY_S3_ACCESS_KEY_ID: 'a', SPARKIFY_S3_SECRET_ACCESS_KEY: 'b' }),
    { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  assert.throws(() => compileS3Config({}, { SPARKIFY_S3_ACCESS_KEY_ID: 'a' }), (e: unknown) => e instanceof SparkifyError && /must be set together/.test(e.message));
  assert.throws(() => compileS3Config({ endpoint: 'ftp://x' }, {}), (e: unknown) => e instanceof SparkifyError && /--endpoint/.test(e.message));
  assert.throws(() => compileS3Config({ region: 'US West' }, {}), (e: unknown) => e instanceof SparkifyError && /--region/.test(e.message));
});

test('SPARKIFY_S3_PIPELINING sets the small-object GETs written ahead per connection, 1 to 64', () => {
  assert.equal(compileS3Config({}, { SPARKIFY_S3_PIPELINING: '1' }).pipelining, 1);
  assert.equal(compileS3Config({}, { SPARKIFY_S3_PIPELINING: '16' }).pipelining, 16);
  assert.equal(compileS3Config({}, { SPARKIFY_S3_PIPELINING: '' }).pipelining, undefined);
  for (const bad of ['0', '65', '2.5', 'lots']) {
    assert.throws(() => compileS3Config({}, { SPARKIFY_S3_PIPELINING: bad }), (e: unknown) => e instanceof SparkifyError && /SPARKIFY_S3_PIPELINING: must be/.test(e.message), bad);
  }
});
