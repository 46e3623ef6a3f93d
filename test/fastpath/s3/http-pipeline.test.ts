import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { HttpPipeline, HttpPipelineError, ResponseParser } from '../../../src/fastpath/s3/http-pipeline.ts';
import { storageError } from '../../../src/storage/s3/s3-errors.ts';

/** A real node:http server on loopback; `sockets` counts the connections it accepted, `perSocket` requests on each. */
async function serve(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void, setup: (s: Server) => void = () => {}) {
  const server = createServer(handler);
  setup(server);
  const perSocket = new Map<Socket, number>();
  server.on('request', (req: IncomingMessage) => perSocket.set(req.socket, (perSocket.get(req.socket) ?? 0) + 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return { origin, perSocket };
}

const host = (origin: URL) => ({ host: origin.host });
const isCode = (code: string) => (e: unknown) => e instanceof Error && (e as { code?: string }).code === code;

test('many GETs share a few connections, several written ahead of their answers, each answered with its own body', async (t) => {
  // Each answer waits a turn, so requests written ahead are seen by the server while earlier ones are unanswered.
  const open = new Map<Socket, number>();
  let mostOpen = 0;
  const { origin, perSocket } = await serve(t, (req, res) => {
    const n = (open.get(req.socket) ?? 0) + 1;
    open.set(req.socket, n);
    mostOpen = Math.max(mostOpen, n);
    res.on('finish', () => open.set(req.socket, (open.get(req.socket) ?? 1) - 1));
    setImmediate(() => res.end(`body of ${req.url}`));
  });
  const pipeline = new HttpPipeline(origin, { connections: 3, depth: 8 });
  t.after(() => pipeline.close());
  const paths = Array.from({ length: 500 }, (_, i) => `/bucket/song_data/A/B/TR${i}.json?x=${i}`);
  const answers = await Promise.all(paths.map((p) => pipeline.get(p, host(origin))));
  assert.deepEqual(answers.map((a) => a.body.toString()), paths.map((p) => `body of ${p}`));
  assert.ok(answers.every((a) => a.status === 200 && a.headers.get('content-length') === String(a.body.length)));
  assert.ok(perSocket.size <= 3, `${perSocket.size} connections`);
  assert.equal([...perSocket.values()].reduce((a, b) => a + b, 0), 500);
  assert.ok(mostOpen > 1 && mostOpen <= 8, `at most ${mostOpen} requests open on one connection`);
});

test('a server that answers one request per connection loses none: the requests written after it go out again', async (t) => {
  const { origin, perSocket } = await serve(t, (req, res) => res.end(req.url), (s) => {
    s.maxRequestsPerSocket = 1;
  });
  const pipeline = new HttpPipeline(origin, { connections: 2, depth: 8 });
  t.after(() => pipeline.close());
  const paths = Array.from({ length: 200 }, (_, i) => `/k${i}`);
  const bodies = await Promise.all(paths.map(async (p) => (await pipeline.get(p, host(origin))).body.toString()));
  assert.deepEqual(bodies, paths);
  assert.equal(perSocket.size, 200);
  assert.ok([...perSocket.values()].every((n) => n === 1));
});

test('chunked, empty and 204 bodies, headers joined, errors passed through as answers', async (t) => {
  const { origin } = await serve(t, (req, res) => {
    if (req.url === '/chunked') {
      res.setHeader('x-part', ['a', 'b']);
      res.write('first ');
      setImmediate(() => res.end('second'));
    } else if (req.url === '/empty') {
      res.setHeader('content-length', '0');
      res.end();
    } else if (req.url === '/nothing') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
    }
  });
  const pipeline = new HttpPipeline(origin, { connections: 1, depth: 4 });
  t.after(() => pipeline.close());
  const [chunked, empty, nothing, missing] = await Promise.all(['/chunked', '/empty', '/nothing', '/missing'].map((p) => pipeline.get(p, host(origin))));
  assert.equal(chunked?.body.toString(), 'first second');
  assert.equal(chunked?.headers.get('transfer-encoding'), 'chunked');
  assert.equal(chunked?.headers.get('x-part'), 'a, b');
  assert.equal(empty?.body.length, 0);
  assert.equal(nothing?.status, 204);
  assert.equal(missing?.status, 404);
  assert.equal(missing?.body.toString(), '<Error><Code>NoSuchKey</Code></Error>');
});

test('a connection cut in the middle of an answer fails that request with a retryable error; the others are sent again', async (t) => {
  let cut = false;
  const { origin } = await serve(t, (req, res) => {
    if (req.url === '/cut' && !cut) {
      cut = true;
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part of it');
      setImmediate(() => req.socket.destroy());
      return;
    }
    res.end(req.url);
  });
  const pipeline = new HttpPipeline(origin, { connections: 1, depth: 8 });
  t.after(() => pipeline.close());
  const first = await pipeline.get('/warm', host(origin));
  assert.equal(first.body.toString(), '/warm');
  const after = ['/cut', '/a', '/b', '/c'].map((p) => pipeline.get(p, host(origin)).then((a) => a.body.toString(), (e: unknown) => e));
  const [cutAnswer, ...rest] = await Promise.all(after);
  assert.ok(cutAnswer instanceof HttpPipelineError && cutAnswer.code === 'ECONNRESET', String(cutAnswer));
  assert.equal(storageError('s3://b/cut', cutAnswer).retryable, true);
  assert.deepEqual(rest, ['/a', '/b', '/c']);
});

test('an unreachable server, a silent one, an oversized body and a malformed answer are errors, never hangs', async (t) => {
  const closed = createNetServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const unreachable = new HttpPipeline(new URL(`http://127.0.0.1:${deadPort}`));
  t.after(() => unreachable.close());
  await assert.rejects(unreachable.get('/x', { host: 'h' }), isCode('ECONNREFUSED'));

  const raw = createNetServer((socket) => {
    socket.once('data', (request) => {
      const path = request.toString('latin1').split(' ')[1];
      if (path === '/silent') return;
      if (path === '/big') socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2000\r\n\r\n');
      if (path === '/garbage') socket.write('HTTP/1.1 200 OK\r\ncontent-length: 12, 13\r\n\r\n');
      if (path === '/status') socket.write('HTTP/2 200\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => raw.close(() => resolve())));
  const origin = new URL(`http://127.0.0.1:${(raw.address() as AddressInfo).port}`);
  const pipeline = new HttpPipeline(origin, { connections: 4, depth: 1, timeoutMs: 200, maxBodyBytes: 1000 });
  t.after(() => pipeline.close());
  await assert.rejects(pipeline.get('/silent', host(origin)), isCode('ETIMEDOUT'));
  await assert.rejects(pipeline.get('/big', host(origin)), (e: unknown) => isCode('EPROTO')(e) && /over 1000 bytes/.test(String(e)));
  await assert.rejects(pipeline.get('/garbage', host(origin)), (e: unknown) => isCode('EPROTO')(e) && /Content-Length/.test(String(e)));
  await assert.rejects(pipeline.get('/status', host(origin)), (e: unknown) => isCode('EPROTO')(e) && /status line/.test(String(e)));
});

test('request targets and headers that could split the request are refused before anything is sent', async () => {
  const pipeline = new HttpPipeline(new URL('http://127.0.0.1:1'));
  await assert.rejects(pipeline.get('/a b', {}), TypeError);
  await assert.rejects(pipeline.get('/a\r\nX: y', {}), TypeError);
  await assert.rejects(pipeline.get('/a', { 'x-amz-date': '1\r\nInjected: yes' }), TypeError);
  await assert.rejects(pipeline.get('/a', { 'bad name': 'v' }), TypeError);
  pipeline.close();
  await assert.rejects(pipeline.get('/a', {}), isCode('ECONNRESET'));
});

test('the parser reads the same answers from a stream however it is cut', () => {
  const stream = Buffer.from([
    'HTTP/1.1 100 Continue\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n',
    'HTTP/1.1 204 No Content\r\n\r\n',
    'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\nok',
  ].join(''));
  const expected = [
    { status: 200, body: 'hello', close: false },
    { status: 200, body: 'abc0123456789', close: false },
    { status: 204, body: '', close: false },
    { status: 404, body: '', close: false },
    { status: 200, body: 'ok', close: true },
  ];
  for (const size of [1, 2, 3, 7, 16, 64, stream.length]) {
    const parser = new ResponseParser(1 << 20);
    const got = [];
    for (let i = 0; i < stream.length; i += size) got.push(...parser.push(stream.subarray(i, i + size)));
    got.push(...parser.end());
    assert.deepEqual(got.map((a) => ({ status: a.status, body: a.body.toString(), close: a.close })), expected, `cut every ${size} bytes`);
    assert.equal(got[0]?.headers.get('x-a'), '1, 2');
  }
  const untilClose = new ResponseParser(1 << 20);
  assert.deepEqual(untilClose.push(Buffer.from('HTTP/1.0 200 OK\r\n\r\nto the end')), []);
  assert.deepEqual(untilClose.end().map((a) => [a.body.toString(), a.close]), [['to the end', true]]);
  const truncated = new ResponseParser(1 << 20);
  truncated.push(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nabc'));
  assert.throws(() => truncated.end(), isCode('ECONNRESET'));
  for (const bad of ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HTTP/1.1 200 OK\r\nno colon\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n', 'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n']) {
    assert.throws(() => new ResponseParser(1 << 20).push(Buffer.from(bad)), isCode('EPROTO'), JSON.stringify(bad));
  }
});

test('over https too: the server\'s certificate is checked, and pipelined answers come back the same', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createServer: createHttpsServer } = await import('node:https');
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A throwaway self-signed certificate for the loopback address, made for this test only.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => res.end(`secure ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const origin = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const trusting = new HttpPipeline(origin, { connections: 2, depth: 8, ca: cert });
  t.after(() => trusting.close());
  const paths = Array.from({ length: 50 }, (_, i) => `/s${i}`);
  assert.deepEqual((await Promise.all(paths.map((p) => trusting.get(p, host(origin))))).map((a) => a.body.toString()), paths.map((p) => `secure ${p}`));
  const wary = new HttpPipeline(origin);
  t.after(() => wary.close());
  await assert.rejects(wary.get('/s', host(origin)), (e: unknown) => /self[- ]signed/i.test(String(e)));
});
