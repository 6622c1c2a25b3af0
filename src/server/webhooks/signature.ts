import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying a delivery's signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-newsgraph-signature-256';

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute over the raw body and compare in constant time. */
export function verify(body: string, secret: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(sign(body, secret));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}
