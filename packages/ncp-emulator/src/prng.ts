// Seeded pseudo-random streams (mulberry32) and the NCP-looking values drawn from them.
// Separate streams for ids and faults, so changing a fault config never changes generated keys.

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent stream from a base seed (so streams don't share a sequence). */
export function deriveStream(seed: number, salt: number): Random {
  return mulberry32(Math.imul((seed ^ salt) >>> 0, 0x9e3779b1) ^ salt);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export function randomString(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** 40 chars [A-Za-z0-9], like NCP's primaryKey/secondaryKey examples. */
export const keyValue = (random: Random): string => randomString(random, ALNUM, 40);
/** 10 lowercase alphanumerics, like NCP's apiKeyId examples. */
export const apiKeyId = (random: Random): string => randomString(random, LOWER_ALNUM, 10);
export const hex = (random: Random, length: number): string => randomString(random, HEX, length);

/** RFC 4122 version-4 shaped UUID drawn from the stream. */
export function uuid(random: Random): string {
  const h = hex(random, 32).split('');
  h[12] = '4';
  h[16] = HEX[(parseInt(h[16] ?? '0', 16) & 0x3) | 0x8] ?? '8';
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
