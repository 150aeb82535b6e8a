// signV2: the NCP API Gateway signature v2 (Base64 HMAC-SHA256 of the string-to-sign).

import { buildStringToSign } from './string-to-sign.ts';
import { hmacSha256Base64 } from './hmac.ts';

export type SignV2Input = {
  method: string;
  pathWithQuery: string;
  timestamp: string;
  accessKey: string;
  secretKey: string;
};

export function signV2(input: SignV2Input): Promise<string> {
  return hmacSha256Base64(
    input.secretKey,
    buildStringToSign(input.method, input.pathWithQuery, input.timestamp, input.accessKey),
  );
}
