import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/server/errors';
import { isValidTenant, StoredSettings, validateSettingsUpdate } from '../../src/server/settings/validate';

const t = (text: string, options?: Record<string, unknown>) =>
  text.replace(/{{(\w+)}}/g, (_, k) => String(options?.[k] ?? ''));
const empty: StoredSettings = { googleClientId: '', googleSecretSet: false, microsoftClientId: '', microsoftSecretSet: false };

function fields(input: unknown, stored = empty) {
  try {
    validateSettingsUpdate(input, stored, t);
    return [];
  } catch (error) {
    return (error as ValidationError).errors.map((e) => e.field);
  }
}

describe('settings validation', () => {
  it('accepts tenants Microsoft accepts', () => {
    for (const tenant of ['common', 'organizations', 'consumers', 'Common', '72f988bf-86f1-41af-91ab-2d7cd011db47', 'contoso.onmicrosoft.com', 'example.co.uk']) {
      expect(isValidTenant(tenant)).toBe(true);
    }
    for (const tenant of ['bad tenant', 'http://x', 'a', '-x.com']) expect(isValidTenant(tenant)).toBe(false);
  });

  it('trims, defaults the tenant and drops empty secrets', () => {
    expect(validateSettingsUpdate({ googleClientId: ' id ', googleClientSecret: '  ', microsoftTenant: '' }, empty, t)).toEqual({
      googleClientId: 'id',
      microsoftTenant: 'common',
    });
  });

  it('reports every bad field at once', () => {
    expect(fields({ syncInterval: 0, massSendInterval: 'x', microsoftClientId: 'nope', extra: 1 }).sort()).toEqual(
      ['extra', 'massSendInterval', 'microsoftClientId', 'syncInterval'].sort(),
    );
  });

  it('requires a client ID for a secret, also one stored earlier', () => {
    expect(fields({ googleClientSecret: 's' })).toEqual(['googleClientSecret']);
    expect(fields({ googleClientSecret: 's', googleClientId: 'id' })).toEqual([]);
    expect(fields({ googleClientId: '' }, { ...empty, googleClientId: 'id', googleSecretSet: true })).toEqual(['googleClientId']);
    expect(fields({ googleClientId: '', googleClientSecret: null }, { ...empty, googleClientId: 'id', googleSecretSet: true })).toEqual([]);
  });

  it('takes interval bounds inclusively', () => {
    expect(fields({ syncInterval: 1, massSendInterval: 0 })).toEqual([]);
    expect(fields({ syncInterval: 1440, massSendInterval: 600000 })).toEqual([]);
  });

  it('lets department view be switched on only with the Departments plugin (S-ACL-6)', () => {
    expect(fields({ viewByDepartment: true })).toEqual(['viewByDepartment']);
    expect(fields({ viewByDepartment: false })).toEqual([]);
    expect(fields({ viewByDepartment: true }, { ...empty, departmentsAvailable: true })).toEqual([]);
    expect(fields({ viewByDepartment: 1 }, { ...empty, departmentsAvailable: true })).toEqual(['viewByDepartment']);
  });
});
