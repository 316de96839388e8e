import type Application from '@nocobase/server';

/**
 * Encrypts secrets (client secrets, token sets) at rest with the app's AES key
 * (APP_AES_SECRET_KEY or storage/apps/<app>/aes_key.dat). The prefix marks the format so a
 * plaintext value that slipped in can be told apart and is never returned as a secret.
 */
const PREFIX = 'enc:v1:';

export class SecretBox {
  constructor(private readonly app: Application) {}

  async seal(plain: string): Promise<string> {
    return PREFIX + (await this.app.aesEncryptor.encrypt(plain));
  }

  async open(sealed: string | null | undefined): Promise<string | null> {
    if (!sealed) return null;
    if (!sealed.startsWith(PREFIX)) throw new Error('Stored secret is not in the encrypted format');
    return this.app.aesEncryptor.decrypt(sealed.slice(PREFIX.length));
  }

  async sealJson(value: unknown): Promise<string> {
    return this.seal(JSON.stringify(value));
  }

  async openJson<T>(sealed: string | null | undefined): Promise<T | null> {
    const plain = await this.open(sealed);
    return plain == null ? null : (JSON.parse(plain) as T);
  }
}
