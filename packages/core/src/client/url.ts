// Builds request targets once, with one encoding rule (RFC 3986 via encodeURIComponent plus !'()*), and a
// fixed key order, so the string in the URL is byte-for-byte the string that gets signed.

const UNRESERVED_ONLY = /^[A-Za-z0-9_.~-]*$/;

export function encodeRfc3986(value: string): string {
  // Ids and numbers (the common case) need no encoding; skip the two string passes.
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `?a=1&b=2` in the order given, skipping undefined values; '' when nothing is left. */
export function buildQuery(params: readonly (readonly [string, string | number | undefined])[]): string {
  let query = '';
  for (const [key, value] of params) {
    if (value === undefined) continue;
    query += `${query === '' ? '?' : '&'}${encodeRfc3986(key)}=${encodeRfc3986(String(value))}`;
  }
  return query;
}

export function pathSegment(value: string): string {
  return encodeRfc3986(value);
}
