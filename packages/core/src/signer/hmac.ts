// HMAC-SHA256 over crypto.subtle with the imported CryptoKey cached per secret. Importing a key costs
// more than signing a short string, and a client signs many requests with one secret.

const encoder = new TextEncoder();

// Keyed by the secret itself, module-private: the map is never exported, iterated or logged.
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_LIMIT = 32;

function importHmacKey(secretKey: string): Promise<CryptoKey> {
  let key = keyCache.get(secretKey);
  if (key === undefined) {
    // Bounded so a long-running process that sees many secrets (rotations, tests) cannot grow without end.
    if (keyCache.size >= KEY_CACHE_LIMIT) {
      const oldest = keyCache.keys().next();
      if (oldest.done !== true) keyCache.delete(oldest.value);
    }
    key = crypto.subtle.importKey('raw', encoder.encode(secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    // A failed import must not poison the cache for later calls.
    key.catch(() => keyCache.delete(secretKey));
    keyCache.set(secretKey, key);
  }
  return key;
}

export async function hmacSha256Base64(secretKey: string, message: string): Promise<string> {
  const key = await importHmacKey(secretKey);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(message));
  return bytesToBase64(new Uint8Array(mac));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}
