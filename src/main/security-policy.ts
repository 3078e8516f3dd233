/**
 * The renderer's Content-Security-Policy, shared by the Electron window and web mode.
 * sql.js is not loaded in the renderer today, but 'wasm-unsafe-eval' is allowed so a renderer-side engine
 * can be used without weakening anything else.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
