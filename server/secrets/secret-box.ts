import crypto from 'node:crypto';

/**
 * AES-256-GCM for credentials at rest. The key is derived (HKDF-SHA256) from
 * HARK_SECRET_KEY, so any long random string works. Each value gets a fresh
 * 96-bit IV, and the record's name is bound in as associated data: a sealed
 * value copied under another name does not open.
 */
export interface SecretBox {
  readonly available: boolean;
  seal(plaintext: string, context: string): string;
  /** Throws when the value was sealed with another key or tampered with. */
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';

export function createSecretBox(secret: string | null): SecretBox {
  const key = secret ? Buffer.from(crypto.hkdfSync('sha256', secret, 'hark-credentials', 'aes-256-gcm v1', 32)) : null;
  const need = () => {
    if (!key) throw new Error('HARK_SECRET_KEY is not set');
    return key;
  };
  return {
    available: key !== null,
    seal(plaintext, context) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', need(), iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('not a sealed value');
      const decipher = crypto.createDecipheriv('aes-256-gcm', need(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
