/**
 * Header checks of the Streamable HTTP transport, done before the body is read:
 * Content-Type (415) and Accept (406). Pure functions over header strings.
 */

/** True when the media type (parameters ignored) is application/json. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/json';
}

/**
 * Whether an Accept header lists a media type explicitly (not refused with q=0). Wildcards do not count:
 * the spec asks clients to list both types, and the SDK's own transport checks them literally, so every
 * request gets the same answer whichever path serves it.
 */
function acceptsMedia(accept: string, type: string): boolean {
  for (const part of accept.split(',')) {
    const semi = part.indexOf(';');
    const media = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (media === type) {
      if (semi !== -1 && /;\s*q\s*=\s*0(\.0*)?\s*(;|$)/i.test(part.slice(semi))) continue;
      return true;
    }
  }
  return false;
}

/**
 * The spec requires a POST's Accept to list both application/json and text/event-stream;
 * the server may answer either way.
 */
export function acceptsMcpResponses(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return acceptsMedia(accept, 'application/json') && acceptsMedia(accept, 'text/event-stream');
}
