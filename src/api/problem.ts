import type { FastifyError, FastifyInstance } from 'fastify';
import { SparkifyError } from '../core/errors.ts';

/**
 * An error the API answers with as a JSON problem description: `{ detail, status, title }` (RFC 9457's members, as
 * Airflow's HTTPException answers carry `detail`). Thrown by routes; the error handler below turns it into the reply.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.headers = headers;
  }
}

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

export const problemBody = (status: number, detail: string) => ({ detail, status, title: titles[status] ?? 'Error' });

/** The JSON schema of a problem reply, for the OpenAPI document. */
export const problemSchema = {
  type: 'object',
  properties: { detail: { type: 'string' }, status: { type: 'integer' }, title: { type: 'string' } },
  required: ['detail', 'status', 'title'],
} as const;

/** A SparkifyError's code as an HTTP status: the ones a request can cause; anything else is the server's fault. */
function statusOf(error: SparkifyError): number {
  switch (error.code) {
    case 'SPK_E_NOT_FOUND': return 404;
    case 'SPK_E_CONFIG': return 400;
    case 'SPK_E_LOCKED': case 'SPK_E_CONNECTION': return 503;
    default: return 500;
  }
}

/**
 * Every error becomes a problem reply; a stack trace never leaves the server. A 5xx is logged (with its stack) and
 * answered with a fixed line, since its message may name internals (a SQL error, a path).
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiProblem | SparkifyError | Error, request, reply) => {
    let status: number;
    let detail: string;
    if (error instanceof ApiProblem) {
      status = error.status;
      detail = error.message;
      reply.headers(error.headers);
    } else if (error instanceof SparkifyError) {
      status = statusOf(error);
      detail = error.message.replace(/^SPK_E_[A-Z_]+: /, '');
    } else if ('validation' in error && error.validation) {
      // Schema validation of the body, query or path: Airflow (FastAPI) answers these with 422.
      status = 422;
      detail = error.message;
    } else {
      const code = (error as FastifyError).statusCode;
      // Fastify's own request errors (malformed JSON, body too large, unsupported content type) carry a 4xx.
      status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
      detail = error.message;
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      detail = status === 500 ? 'internal error (logged on the server)' : detail;
    }
    void reply.code(status).type('application/json; charset=utf-8').send(problemBody(status, detail));
  });
}

export const notFound = (what: string) => new ApiProblem(404, what);
