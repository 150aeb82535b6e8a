// Response builders: NCP's error envelope, JSON bodies, and the table of error codes the emulator answers with.
// Codes starting with "EMU-" are emulator-defined (NCP documents none for these cases); the others are NCP's own.

export type ErrorSpec = { status: number; errorCode: string; message: string };

export const ERRORS = {
  // Documented by NCP (the API Gateway error table, https://api.ncloud-docs.com/docs/ai-application-service-apigateway).
  auth: { status: 401, errorCode: '200', message: 'Authentication Failed' },
  routeNotFound: { status: 404, errorCode: '300', message: 'Not Found Exception' },
  badRequest: { status: 400, errorCode: '100', message: 'Bad Request Exception' },
  tooLarge: { status: 413, errorCode: '430', message: 'Request Entity Too Large' },
  throttled: { status: 429, errorCode: '410', message: 'Throttle Limited' },
  unexpected: { status: 500, errorCode: '900', message: 'Unexpected Error' },
  endpointError: { status: 503, errorCode: '500', message: 'Endpoint Error' },
  endpointTimeout: { status: 504, errorCode: '510', message: 'Endpoint Timeout' },
  // Gateway (data plane) answers, documented by NCP: a key without a subscription, and rate/quota breaches.
  permissionDenied: { status: 401, errorCode: '210', message: 'Permission Denied' },
  quotaExceeded: { status: 429, errorCode: '400', message: 'Quota Exceeded' },
  rateLimited: { status: 429, errorCode: '420', message: 'Rate Limited' },
  // Emulator-defined.
  badJson: { status: 400, errorCode: 'EMU-BAD-JSON', message: 'Bad Request Exception' },
  contentType: { status: 400, errorCode: 'EMU-CONTENT-TYPE', message: 'Bad Request Exception' },
  invalidField: { status: 400, errorCode: 'EMU-INVALID-FIELD', message: 'Bad Request Exception' },
  invalidQuery: { status: 400, errorCode: 'EMU-INVALID-QUERY', message: 'Bad Request Exception' },
  duplicateName: { status: 409, errorCode: 'EMU-DUPLICATE-NAME', message: 'Conflict' },
  keyLimit: { status: 400, errorCode: 'EMU-KEY-LIMIT', message: 'Bad Request Exception' },
  keyInUse: { status: 400, errorCode: 'EMU-KEY-IN-USE', message: 'Bad Request Exception' },
  keyNotFound: { status: 404, errorCode: 'EMU-KEY-NOT-FOUND', message: 'Not Found Exception' },
  productNotFound: { status: 404, errorCode: 'EMU-PRODUCT-NOT-FOUND', message: 'Not Found Exception' },
  apiNotFound: { status: 404, errorCode: 'EMU-API-NOT-FOUND', message: 'Not Found Exception' },
  stageNotFound: { status: 404, errorCode: 'EMU-STAGE-NOT-FOUND', message: 'Not Found Exception' },
  subscriptionNotFound: { status: 404, errorCode: 'EMU-SUBSCRIPTION-NOT-FOUND', message: 'Not Found Exception' },
  planNotAssociated: { status: 400, errorCode: 'EMU-PLAN-NOT-ASSOCIATED', message: 'Bad Request Exception' },
  methodNotAllowed: { status: 405, errorCode: 'EMU-METHOD-NOT-ALLOWED', message: 'Method Not Allowed' },
  notImplemented: { status: 501, errorCode: 'EMU-NOT-IMPLEMENTED', message: 'Not Implemented' },
} as const satisfies Record<string, ErrorSpec>;

const JSON_TYPE = 'application/json;charset=UTF-8';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

export function emptyResponse(status: number): Response {
  return new Response(null, { status });
}

export function errorResponse(spec: ErrorSpec, details: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(spec.status, { error: { errorCode: spec.errorCode, message: spec.message, details } }, headers);
}

/** Thrown by route code to answer with an error envelope; keeps route functions linear. */
export class HttpError extends Error {
  readonly spec: ErrorSpec;
  readonly details: string;
  readonly headers: Record<string, string>;
  constructor(spec: ErrorSpec, details: string, headers: Record<string, string> = {}) {
    super(`${spec.status} ${spec.errorCode}: ${details}`);
    this.name = 'HttpError';
    this.spec = spec;
    this.details = details;
    this.headers = headers;
  }
}

/**
 * Thrown by the handler when the connection must be dropped without any response. It is a TypeError, like the
 * error `fetch` rejects with on a reset connection, so an in-process fetch built on `handler` fails the same way;
 * serve() catches it and destroys the socket.
 */
export class ConnectionDroppedError extends TypeError {
  readonly emulatorDrop = true;
  constructor(reason: string) {
    super(`connection dropped by the NCP emulator (${reason})`);
    this.name = 'ConnectionDroppedError';
  }
}

export function isConnectionDropped(e: unknown): e is ConnectionDroppedError {
  return typeof e === 'object' && e !== null && (e as { emulatorDrop?: unknown }).emulatorDrop === true;
}
