/**
 * The page's one Content Security Policy, defined once: browser mode sends it as a header, and the
 * desktop window's `app://` protocol handler sends the same header. (No <meta> copy in the page to
 * drift apart from it.) Everything comes from our own origin; no inline script or style, no plugins,
 * no <base> rewriting, no form posts, no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page and file we serve carries, in both transports. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Browser mode's first address carries the token: never send it on as a referrer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
