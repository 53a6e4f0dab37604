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

/** Whether an Accept header lists a media type (exact type, or a matching wildcard). */
function acceptsMedia(accept: string, type: string): boolean {
  const [major] = type.split('/');
  for (const part of accept.split(',')) {
    const semi = part.indexOf(';');
    const media = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (media === type || media === '*/*' || media === `${major}/*`) {
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
