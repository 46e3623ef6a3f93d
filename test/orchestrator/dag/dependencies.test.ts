import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BaseOperator, chain, dag, serializeDag, type Dag } from '../../../src/orchestrator/dag/index.ts';

class Noop extends BaseOperator {
  execute(): void {}
}

const upstreamOf = (d: Dag) => Object.fromEntries(serializeDag(d).dag.tasks.map((t) => [t.id, t.upstream.join(',')]));
const fresh = () => dag({ id: 'deps', schedule: null, start: '2024-01-01' });

test('then returns its argument, so chains read left to right; after is a fan-in', () => {
  const d = fresh();
  const [a, b, c, e, f] = ['a', 'b', 'c', 'e', 'f'].map((id) => new Noop(d, id)) as Noop[] as [Noop, Noop, Noop, Noop, Noop];
  const returned = a.then([b, c]);
  assert.deepEqual(returned, [b, c]);
  e.after(b, c).then(f);
  assert.deepEqual(upstreamOf(d), { a: '', b: 'a', c: 'a', e: 'b,c', f: 'e' });
});

test('chain: tasks and lists, lists side by side pairing up as in Airflow', () => {
  const d = fresh();
  const t = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => [id, new Noop(d, id)])) as Record<string, Noop>;
  chain(t.a!, [t.b!, t.c!], [t.d!, t.e!], t.f!);
  assert.deepEqual(upstreamOf(d), { a: '', b: 'a', c: 'a', d: 'b', e: 'c', f: 'd,e' });
  assert.throws(() => chain([t.a!], [t.b!, t.c!]), /must be of one length/);
});

test('task groups: ids group.task, nested groups, dependencies to a group reach its first tasks and from it its last', () => {
  const d = fresh();
  const begin = new Noop(d, 'begin');
  const load = d.group('load', { defaultArgs: { retries: 4 } });
  const facts = new Noop(load, 'facts');
  const dims = load.group('dims');
  const users = new Noop(dims, 'users');
  const songs = new Noop(dims, 'songs');
  facts.then([users, songs]);
  begin.then(load).then(new Noop(d, 'end'));
  const s = serializeDag(d).dag;
  assert.deepEqual(Object.fromEntries(s.tasks.map((t) => [t.id, [t.upstream.join(','), t.group, t.retries]])), {
    begin: ['', null, 0],
    end: ['load.dims.songs,load.dims.users', null, 0],
    'load.dims.songs': ['load.facts', 'load.dims', 4],
    'load.dims.users': ['load.facts', 'load.dims', 4],
    'load.facts': ['begin', 'load', 4],
  });
  assert.throws(() => begin.then(d.group('empty')), /task group 'empty' of DAG 'deps' has no tasks/);
});

test('serialisation is canonical: insertion order, key order and repeated edges do not change the bytes', () => {
  const build = (reverse: boolean) => {
    const d = dag({ id: 'canon', schedule: '@hourly', start: '2024-01-01', tags: reverse ? ['b', 'a', 'a'] : ['a', 'b'], params: reverse ? { y: 1, x: { b: 2, a: 1 } } : { x: { a: 1, b: 2 }, y: 1 } });
    const ids = reverse ? ['c', 'b', 'a'] : ['a', 'b', 'c'];
    const t = Object.fromEntries(ids.map((id) => [id, new Noop(d, id, { outlets: reverse ? [{ kind: 'table', name: 'z' }, { kind: 'table', name: 'y' }] : [{ kind: 'table', name: 'y' }, { kind: 'table', name: 'z' }] })]));
    t.c!.after(t.a!, t.b!);
    if (reverse) t.c!.after(t.b!, t.a!);
    return serializeDag(d, { file: 'canon.ts' });
  };
  const one = build(false);
  const two = build(true);
  assert.equal(one.json, two.json);
  assert.equal(one.hash, two.hash);
  assert.ok(one.json.startsWith('{"catchup":false,"description":null,"end":null,"file":"canon.ts","id":"canon",'), one.json.slice(0, 120));
  assert.ok(!/\s/.test(one.json.replace(/"[^"]*"/g, '')), 'no whitespace outside strings');
  assert.deepEqual(JSON.parse(one.json), one.dag);
});
