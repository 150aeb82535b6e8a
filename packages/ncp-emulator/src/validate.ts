// Input validation for request bodies and query strings; throws HttpError with an emulator-defined code.

import { ERRORS, HttpError } from './responses.ts';

export const NAME_MAX = 20;
export const DESCRIPTION_MAX = 50;
export const PRODUCT_ID_MAX = 10;

// C0, DEL and C1 controls (Unicode category Cc).
const CONTROL = /\p{Cc}/u;

export function countCodePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function field(message: string): HttpError {
  return new HttpError(ERRORS.invalidField, message);
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(ERRORS.badJson, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function checkText(name: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') throw field(`${name} must be a string`);
  const length = countCodePoints(value);
  if (length < min || length > max) {
    throw field(`${name} must be ${min}–${max} characters (code points), got ${length}`);
  }
  if (CONTROL.test(value)) throw field(`${name} must not contain control characters`);
  return value;
}

export function checkName(body: Record<string, unknown>, allowEmpty: boolean): string {
  if (!('apiKeyName' in body) || body.apiKeyName === undefined || body.apiKeyName === null) {
    throw field('apiKeyName is required');
  }
  return checkText('apiKeyName', body.apiKeyName, allowEmpty ? 0 : 1, NAME_MAX);
}

export function checkDescription(body: Record<string, unknown>): string {
  if (body.apiKeyDescription === undefined || body.apiKeyDescription === null) return '';
  return checkText('apiKeyDescription', body.apiKeyDescription, 0, DESCRIPTION_MAX);
}

export function checkIsEnabled(body: Record<string, unknown>): boolean {
  if (body.isEnabled === undefined || body.isEnabled === null) throw field('isEnabled is required');
  if (typeof body.isEnabled !== 'boolean') throw field('isEnabled must be a boolean');
  return body.isEnabled;
}

export function checkKeyType(body: Record<string, unknown>): 'PRIMARY' | 'SECONDARY' {
  if (body.keyType === undefined || body.keyType === null) throw field('keyType is required');
  if (body.keyType !== 'PRIMARY' && body.keyType !== 'SECONDARY') throw field('keyType must be PRIMARY or SECONDARY');
  return body.keyType;
}

export function checkProductId(body: Record<string, unknown>): string {
  if (body.productId === undefined || body.productId === null) throw field('productId is required');
  return checkText('productId', body.productId, 1, PRODUCT_ID_MAX);
}

function checkInteger(params: URLSearchParams, name: string, min: number): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new HttpError(ERRORS.invalidQuery, `${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new HttpError(ERRORS.invalidQuery, `${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function checkPaging(params: URLSearchParams, defaultLimit: number): { limit: number; offset: number } {
  return { limit: checkInteger(params, 'limit', 1) ?? defaultLimit, offset: checkInteger(params, 'offset', 0) ?? 0 };
}

export function checkNameFilter(params: URLSearchParams): string | undefined {
  const raw = params.get('apiKeyName');
  if (raw === null || raw === '') return undefined;
  if (countCodePoints(raw) > NAME_MAX) {
    throw new HttpError(ERRORS.invalidQuery, `apiKeyName filter must be 0–${NAME_MAX} characters`);
  }
  return raw;
}
