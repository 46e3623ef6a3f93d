import net from 'node:net';
import tls from 'node:tls';

/** One HTTP/1.1 response, read whole. */
export interface HttpAnswer {
  status: number;
  /** Names lower-cased; a repeated header's values joined with ", ". */
  headers: Map<string, string>;
  body: Buffer;
}

export interface HttpPipelineOptions {
  /** Connections open at most (default 8). */
  connections?: number;
  /** Requests written ahead of their answers on one connection (HTTP/1.1 pipelining); 1 waits for each (default 8). */
  depth?: number;
  /** A connection owing answers that hears nothing for this long is dropped; an idle one is closed (default 30 s). */
  timeoutMs?: number;
  /** Longest response body accepted (default 16 MiB). */
  maxBodyBytes?: number;
  /** Certificates trusted for https besides the system's (which NODE_EXTRA_CA_CERTS extends for the whole process). */
  ca?: string | Buffer;
}

/** A failure below HTTP, with the errno-style code that storageError counts as a dropped connection (retryable). */
export class HttpPipelineError extends Error {
  readonly code: string;
  constructor(code: 'ECONNRESET' | 'ETIMEDOUT' | 'EPROTO', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpPipelineError';
    this.code = code;
  }
}

interface Request {
  head: string;
  resolve: (answer: HttpAnswer) => void;
  reject: (error: Error) => void;
}

const maxHeadBytes = 64 * 1024;
const targetPattern = /^\/[\x21-\x7e]*$/;
const headerPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const valuePattern = /^[\t\x20-\x7e]*$/;

/**
 * GETs over a few keep-alive connections to one origin, written ahead of their answers (HTTP/1.1 pipelining), with
 * the answers read by a small parser of its own. Through node:http each of thousands of small objects pays client CPU
 * for a ClientRequest, an IncomingMessage stream, the agent's bookkeeping and a write; here many requests share one
 * write and one read (docs/decisions/2026-12-01-s3-signed-pipelined-gets.md).
 *
 * A connection the server closes (its keep-alive limit, `Connection: close`) takes with it the requests written on it
 * and not yet answered: they are written again on another connection, since a GET is idempotent and the server
 * cannot have answered them. Only requests of a connection that had answered before are resent that way, so every
 * resend follows an answer and the load always moves on, however few requests the server takes per connection. A
 * fresh connection that fails is an unreachable or broken server: its requests fail, with an error the caller's
 * retry policy counts as retryable.
 */
export class HttpPipeline {
  private readonly origin: URL;
  private readonly connections: number;
  private readonly depth: number;
  private readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  private readonly ca: string | Buffer | undefined;
  private readonly queue: Request[] = [];
  private readonly open = new Set<Connection>();
  private scheduled = false;
  private closed = false;

  constructor(origin: URL, options: HttpPipelineOptions = {}) {
    if (origin.protocol !== 'http:' && origin.protocol !== 'https:') throw new TypeError(`not an http(s) origin: ${origin.protocol}`);
    this.origin = origin;
    this.connections = Math.max(1, options.connections ?? 8);
    this.depth = Math.max(1, options.depth ?? 8);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.ca = options.ca;
  }

  /** GET `target` (a path and query, already percent-encoded) with these headers, `Host` among them. */
  get(target: string, headers: Record<string, string>): Promise<HttpAnswer> {
    if (this.closed) return Promise.reject(new HttpPipelineError('ECONNRESET', 'the HTTP pipeline is closed'));
    if (!targetPattern.test(target)) return Promise.reject(new TypeError(`not a request target: ${JSON.stringify(target)}`));
    let head = `GET ${target} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (!headerPattern.test(name) || !valuePattern.test(value)) return Promise.reject(new TypeError(`not a header: ${JSON.stringify(name)}`));
      head += `${name}: ${value}\r\n`;
    }
    head += '\r\n';
    return new Promise<HttpAnswer>((resolve, reject) => {
      this.queue.push({ head, resolve, reject });
      this.schedule();
    });
  }

  /** Fails whatever is queued or in flight and closes every connection. */
  close(): void {
    this.closed = true;
    const error = new HttpPipelineError('ECONNRESET', 'the HTTP pipeline is closed');
    for (const request of this.queue.splice(0)) request.reject(error);
    for (const connection of [...this.open]) connection.fail(error);
  }

  /** Requests made in one turn are written together: dispatch waits for the turn's microtasks. */
  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  /** Hands queued requests to the connections with room, opening connections up to the limit. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      // Open connections all take requests (a closed one leaves the set): the least busy with room, or a new one while
      // the limit allows and every open one has requests out.
      let best: Connection | undefined;
      for (const c of this.open) {
        if (c.inFlight < this.depth && (best === undefined || c.inFlight < best.inFlight)) best = c;
      }
      if (this.open.size < this.connections && (best === undefined || best.inFlight > 0)) best = this.connect();
      if (best === undefined) return;
      best.write(this.queue.splice(0, Math.max(1, Math.min(this.depth - best.inFlight, Math.ceil(this.queue.length / this.connections)))));
    }
  }

  private connect(): Connection {
    const port = Number(this.origin.port || (this.origin.protocol === 'https:' ? 443 : 80));
    const host = this.origin.hostname.replace(/^\[|\]$/g, '');
    const socket = this.origin.protocol === 'https:'
      ? tls.connect({ host, port, servername: net.isIP(host) === 0 ? host : undefined, ALPNProtocols: ['http/1.1'], ...(this.ca === undefined ? {} : { ca: [...tls.rootCertificates, this.ca] }) })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs);
    const connection = new Connection(this, socket);
    this.open.add(connection);
    return connection;
  }

  /** A closed connection's unanswered requests, back at the front of the queue. */
  requeue(requests: Request[], error: Error): void {
    if (this.closed) {
      for (const request of requests) request.reject(error);
      return;
    }
    this.queue.unshift(...requests);
    this.schedule();
  }

  forget(connection: Connection): void {
    this.open.delete(connection);
  }
}

class Connection {
  private readonly pipeline: HttpPipeline;
  private readonly socket: net.Socket;
  private readonly parser: ResponseParser;
  /** Written and not yet answered, in order. */
  private readonly sent: Request[] = [];
  private answered = 0;
  private done = false;

  constructor(pipeline: HttpPipeline, socket: net.Socket) {
    this.pipeline = pipeline;
    this.socket = socket;
    this.parser = new ResponseParser(pipeline.maxBodyBytes);
    socket.on('data', (chunk: Buffer) => this.receive(() => this.parser.push(chunk)));
    socket.on('end', () => this.receive(() => this.parser.end()));
    socket.on('error', (cause) => this.fail(cause));
    socket.on('close', () => this.fail(new HttpPipelineError('ECONNRESET', 'the server closed the connection')));
    socket.on('timeout', () => {
      if (this.sent.length === 0) this.retire();
      else this.fail(new HttpPipelineError('ETIMEDOUT', 'no answer from the server in time'));
    });
  }

  get inFlight(): number {
    return this.sent.length;
  }

  write(requests: Request[]): void {
    if (this.sent.length === 0) this.socket.ref();
    this.sent.push(...requests);
    this.socket.write(requests.length === 1 ? (requests[0] as Request).head : requests.map((r) => r.head).join(''));
  }

  private receive(read: () => ParsedAnswer[]): void {
    let answers: ParsedAnswer[];
    try {
      answers = read();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    for (const answer of answers) {
      const request = this.sent.shift();
      if (request === undefined) {
        this.fail(new HttpPipelineError('EPROTO', 'the server answered a request that was not made'));
        return;
      }
      this.answered++;
      request.resolve(answer);
      if (answer.close) {
        this.retire();
        return;
      }
    }
    if (this.sent.length === 0) this.socket.unref();
    this.pipeline.schedule();
  }

  /** No more requests here: the unanswered ones go to another connection, and the socket is closed. */
  private retire(): void {
    if (!this.shut()) return;
    this.pipeline.requeue(this.sent.splice(0), new HttpPipelineError('ECONNRESET', 'the server closed the connection'));
  }

  fail(cause: Error): void {
    if (!this.shut()) return;
    const error = cause instanceof HttpPipelineError || typeof (cause as { code?: unknown }).code === 'string'
      ? cause
      : new HttpPipelineError('EPROTO', cause.message, { cause });
    const unanswered = this.sent.splice(0);
    // A response already begun cannot be taken again from the start here: the caller's retry decides.
    const begun = this.parser.begun ? unanswered.shift() : undefined;
    begun?.reject(error);
    if (this.answered > 0) {
      this.pipeline.requeue(unanswered, error);
    } else {
      for (const request of unanswered) request.reject(error);
    }
  }

  /** Takes the connection out of the pipeline and closes its socket, once: false when that was done already. */
  private shut(): boolean {
    if (this.done) return false;
    this.done = true;
    this.pipeline.forget(this);
    this.socket.destroy();
    return true;
  }
}

interface ParsedAnswer extends HttpAnswer {
  /** The server will close the connection after this answer. */
  close: boolean;
}

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'until-close';

/** HTTP/1.1 responses out of a byte stream: status line, headers, and a body framed by length, chunks or the close. */
export class ResponseParser {
  private readonly maxBodyBytes: number;
  private buffer: Buffer = Buffer.alloc(0);
  private phase: Phase = 'head';
  private status = 0;
  private headers = new Map<string, string>();
  private close = false;
  private remaining = 0;
  private parts: Buffer[] = [];
  private bodyBytes = 0;

  constructor(maxBodyBytes: number) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Some of a response has arrived and it is not complete. */
  get begun(): boolean {
    return this.phase !== 'head' || this.buffer.length > 0;
  }

  push(chunk: Buffer): ParsedAnswer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const answers: ParsedAnswer[] = [];
    while (this.step(answers));
    return answers;
  }

  /** The stream has ended: a body that runs to the close is complete; anything else unfinished is an error. */
  end(): ParsedAnswer[] {
    if (this.phase === 'until-close') {
      this.take(this.buffer.length);
      return [this.finish()];
    }
    if (this.begun) throw new HttpPipelineError('ECONNRESET', 'the connection closed in the middle of a response');
    return [];
  }

  private step(answers: ParsedAnswer[]): boolean {
    switch (this.phase) {
      case 'head':
        return this.readHead(answers);
      case 'length':
      case 'chunk-data': {
        if (this.buffer.length === 0) return false;
        this.take(Math.min(this.remaining, this.buffer.length));
        if (this.remaining > 0) return false;
        if (this.phase === 'length') answers.push(this.finish());
        else this.phase = 'chunk-end';
        return true;
      }
      case 'chunk-size': {
        const line = this.line();
        if (line === undefined) return false;
        const size = /^([0-9A-Fa-f]{1,8})[\t ]*(?:;.*)?$/.exec(line);
        if (size === null) throw protocol(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
        this.remaining = Number.parseInt(size[1] as string, 16);
        this.limit(this.remaining);
        this.phase = this.remaining === 0 ? 'trailer' : 'chunk-data';
        return true;
      }
      case 'chunk-end': {
        if (this.buffer.length < 2) return false;
        if (this.buffer[0] !== 0x0d || this.buffer[1] !== 0x0a) throw protocol('a chunk does not end with CRLF');
        this.buffer = this.buffer.subarray(2);
        this.phase = 'chunk-size';
        return true;
      }
      case 'trailer': {
        const line = this.line();
        if (line === undefined) return false;
        if (line === '') answers.push(this.finish());
        return true;
      }
      case 'until-close':
        this.take(this.buffer.length);
        return false;
    }
  }

  private readHead(answers: ParsedAnswer[]): boolean {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end === -1) {
      if (this.buffer.length > maxHeadBytes) throw protocol('response headers over 64 KiB');
      return false;
    }
    const lines = this.buffer.toString('latin1', 0, end).split('\r\n');
    this.buffer = this.buffer.subarray(end + 4);
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] as string);
    if (statusLine === null) throw protocol(`bad status line ${JSON.stringify((lines[0] as string).slice(0, 40))}`);
    const status = Number(statusLine[2]);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (!headerPattern.test(name)) throw protocol(`bad header line ${JSON.stringify(line.slice(0, 40))}`);
      const key = name.toLowerCase();
      const value = line.slice(colon + 1).trim();
      const held = headers.get(key);
      headers.set(key, held === undefined ? value : `${held}, ${value}`);
    }
    // Interim answers (100 Continue, 103 Early Hints) come before the real one.
    if (status < 200) return true;
    this.status = status;
    this.headers = headers;
    const connection = tokens(headers.get('connection'));
    this.close = connection.includes('close') || (statusLine[1] === '0' && !connection.includes('keep-alive'));
    this.parts = [];
    this.bodyBytes = 0;
    const coding = tokens(headers.get('transfer-encoding'));
    const length = headers.get('content-length');
    if (status === 204 || status === 304) {
      answers.push(this.finish());
    } else if (coding.length > 0) {
      if (coding.at(-1) === 'chunked') {
        this.phase = 'chunk-size';
      } else {
        this.phase = 'until-close';
        this.close = true;
      }
    } else if (length !== undefined) {
      const values = new Set(length.split(',').map((v) => v.trim()));
      const only = [...values][0] as string;
      if (values.size !== 1 || !/^\d{1,15}$/.test(only)) throw protocol(`bad Content-Length ${JSON.stringify(length)}`);
      this.remaining = Number(only);
      this.limit(this.remaining);
      if (this.remaining === 0) answers.push(this.finish());
      else this.phase = 'length';
    } else {
      this.phase = 'until-close';
      this.close = true;
    }
    return true;
  }

  private line(): string | undefined {
    const end = this.buffer.indexOf('\r\n');
    if (end === -1) {
      if (this.buffer.length > maxHeadBytes) throw protocol('a chunk or trailer line over 64 KiB');
      return undefined;
    }
    const line = this.buffer.toString('latin1', 0, end);
    this.buffer = this.buffer.subarray(end + 2);
    return line;
  }

  private take(n: number): void {
    if (n === 0) return;
    this.limit(n);
    this.parts.push(this.buffer.subarray(0, n));
    this.bodyBytes += n;
    this.remaining -= n;
    this.buffer = this.buffer.subarray(n);
  }

  private limit(more: number): void {
    if (this.bodyBytes + more > this.maxBodyBytes) throw protocol(`a response body over ${this.maxBodyBytes} bytes`);
  }

  private finish(): ParsedAnswer {
    // Copied: the parts are views of the socket's chunks, which would otherwise stay alive with the body.
    const answer = { status: this.status, headers: this.headers, body: Buffer.concat(this.parts, this.bodyBytes), close: this.close };
    this.phase = 'head';
    this.parts = [];
    this.bodyBytes = 0;
    this.remaining = 0;
    return answer;
  }
}

function tokens(value: string | undefined): string[] {
  return value === undefined ? [] : value.toLowerCase().split(',').map((t) => t.trim()).filter((t) => t !== '');
}

function protocol(message: string): HttpPipelineError {
  return new HttpPipelineError('EPROTO', `malformed HTTP response: ${message}`);
}
