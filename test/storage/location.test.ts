import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { childLocation, formatLocation, parseLocation } from '../../src/storage/location.ts';

test('s3:// URLs, file:// URLs and paths', () => {
  assert.deepEqual(parseLocation('s3://udacity-dend/song_data'), { kind: 's3', bucket: 'udacity-dend', prefix: 'song_data' });
  assert.deepEqual(parseLocation('s3://udacity-dend'), { kind: 's3', bucket: 'udacity-dend', prefix: '' });
  assert.deepEqual(parseLocation('file:///tmp/x'), { kind: 'local', root: '/tmp/x', prefix: '' });
  assert.deepEqual(parseLocation('data/x'), { kind: 'local', root: resolve('data/x'), prefix: '' });
  assert.throws(() => parseLocation('s3://Bad_Bucket/x'), /SPK_E_CONFIG: invalid S3 bucket name "Bad_Bucket"/);
  assert.throws(() => parseLocation('gs://bucket/x'), /SPK_E_CONFIG: unsupported location/);
});

test('child locations', () => {
  assert.equal(formatLocation(childLocation(parseLocation('s3://b-1/data'), 'song_data')), 's3://b-1/data/song_data');
  assert.equal(formatLocation(childLocation(parseLocation('s3://b-1/data/'), 'log_json_path.json')), 's3://b-1/data/log_json_path.json');
  assert.equal(formatLocation(childLocation(parseLocation('s3://b-1'), 'song_data')), 's3://b-1/song_data');
  assert.equal(formatLocation(childLocation(parseLocation('/srv/data'), 'song_data')), '/srv/data/song_data');
});
