/**
 * Bearer token validation as agentgateway v1.4.1 does it (`crates/agentgateway/src/http/jwt.rs`, `Jwt::apply` and
 * `validate_claims` ~L490–590, `Provider::from_jwks` ~L299–400, with jsonwebtoken 10.4's `Validation::new`):
 * the token comes from `Authorization: Bearer`; its header needs a `kid` the provider's key set has; `exp` is
 * required (`required_spec_claims` defaults to `["exp"]`) and checked with 60 s of leeway; `iss` must be the
 * provider's issuer and `aud` one of its audiences.
 *
 * Stricter than v1.4.1, on purpose: v1.4.1 checks neither `nbf` (jsonwebtoken's `validate_nbf` is off) nor `iat`;
 * here a token that says it was issued, or becomes valid, more than the same 60 s in the future is refused. Entra
 * sets `nbf` = `iat` = the time of issue, so no token Entra issues is affected. jose also refuses a token without
 * `iss` or `aud` where v1.4.1 only checks them when present; Entra always sets both.
 *
 * Failures carry a fixed reason, never the library's text: the reason may end up in a log, the answer says less.
 */
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtRule } from './manifests.ts';

/** jsonwebtoken's default leeway, the skew v1.4.1 allows on `exp`; also the bound put on `iat` and `nbf` here. */
export const CLOCK_SKEW_SECONDS = 60;

export type TokenCheck =
  | { ok: true; claims: JWTPayload }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown key' | 'bad signature' | 'expired' | 'no exp' | 'from the future' | 'wrong issuer' | 'wrong audience' | 'invalid' };

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

export async function checkToken(rule: Pick<JwtRule, 'issuer' | 'audiences'>, token: string | undefined, keys: JWTVerifyGetKey, now: Date): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: 'missing' };
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!kid) return { ok: false, reason: 'unknown key' };
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: rule.issuer,
      audience: rule.audiences,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    });
    const latest = Math.floor(now.getTime() / 1000) + CLOCK_SKEW_SECONDS;
    if ((typeof payload.iat === 'number' && payload.iat > latest) || (typeof payload.nbf === 'number' && payload.nbf > latest)) {
      return { ok: false, reason: 'from the future' };
    }
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

function reasonOf(error: unknown): Exclude<TokenCheck, { ok: true }>['reason'] {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'exp') return 'no exp';
    if (error.claim === 'nbf') return 'from the future';
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'aud') return 'wrong audience';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  return 'invalid';
}
