/**
 * The `_meta` key of the initialize result under which every server reports its readiness
 * (`{ ready, reason? }`, see readiness.ts). Its own module, so a client (the UI's server) can import the
 * name without the runtime.
 */
export const READINESS_META_KEY = 'com.example.mcp-gateway/readiness';
