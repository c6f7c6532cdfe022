import { readFileSync } from 'node:fs';
import { generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { signingKeysFile } from '../../local/oidc-issuer.ts';

/**
 * Deliberately bad tokens for tests, made with jose because the issuer must never make them: they are the
 * issuer's ID token claims with one thing wrong.
 */
export interface ForgeOptions {
  /** The issuer's persisted key (default), or a freshly generated foreign key. */
  readonly key?: 'issuer' | 'foreign';
  /** With a foreign key, claim the issuer key's kid (so the verifier picks the real key and the signature fails). */
  readonly reuseKid?: boolean;
  /** Leave `kid` out of the header. */
  readonly noKid?: boolean;
}

export async function forgeToken(dataDir: string, claims: JWTPayload, options: ForgeOptions = {}): Promise<string> {
  const [issuerJwk] = (JSON.parse(readFileSync(signingKeysFile(dataDir), 'utf8')) as { keys: JWK[] }).keys;
  if (!issuerJwk?.kid) throw new Error('the issuer has no signing key yet');
  const key =
    options.key === 'foreign' ? (await generateKeyPair('RS256')).privateKey : await importJWK(issuerJwk, 'RS256');
  const kid = options.key === 'foreign' && !options.reuseKid ? 'foreign-key' : issuerJwk.kid;
  return new SignJWT(claims).setProtectedHeader(options.noKid ? { alg: 'RS256' } : { alg: 'RS256', kid }).sign(key);
}

/** The claims of a JWT, unverified (to copy a real token's claims into a forged one). */
export function decodeClaims(token: string): JWTPayload {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as JWTPayload;
}
