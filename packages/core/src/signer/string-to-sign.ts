// Composition of the NCP signature v2 string-to-sign. Kept separate from the HMAC so the exact bytes
// being signed can be inspected and tested without crypto.

export function buildStringToSign(method: string, pathWithQuery: string, timestamp: string, accessKey: string): string {
  return `${method.toUpperCase()} ${pathWithQuery}\n${timestamp}\n${accessKey}`;
}
