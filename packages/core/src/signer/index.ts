// Public surface of the signer.
export { buildStringToSign } from './string-to-sign.ts';
export { signV2, type SignV2Input } from './sign.ts';
export { createSigningFetch, HEADER_ACCESS_KEY, HEADER_SIGNATURE, HEADER_TIMESTAMP, type SigningFetchOptions } from './signing-fetch.ts';
