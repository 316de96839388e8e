import { describe, expect, it, vi } from 'vitest';
import { associationsOf, emailFieldOptions, recordAddresses, splitAddresses } from '../../src/client/blocks/send/recipients';
import { planSendEmail } from '../../src/client/blocks/send/send-email';

describe('Send email recipients (S-BLOCK-6, S-BULK-2)', () => {
  it('splits a value on comma, semicolon and newline', () => {
    expect(splitAddresses('a@x.com; b@y.org,\nc@z.net ')).toEqual(['a@x.com', 'b@y.org', 'c@z.net']);
    expect(splitAddresses(null)).toEqual([]);
    expect(splitAddresses(['a@x.com', 'b@y.org;c@z.net'])).toEqual(['a@x.com', 'b@y.org', 'c@z.net']);
  });

  it('reads the record’s fields and to-one associations in order, dropping duplicates ignoring case', () => {
    const record = { email: 'Ann@Acme.example', backup: 'ann@acme.example; ops@acme.example', company: { email: 'info@acme.example' } };
    expect(recordAddresses(record, ['email', 'backup', 'company.email'])).toEqual(['Ann@Acme.example', 'ops@acme.example', 'info@acme.example']);
    expect(recordAddresses(record, [])).toEqual([]);
    expect(associationsOf(['email', 'company.email', 'company.other'])).toEqual(['company']);
  });

  it('offers text and email fields, and those of to-one associations', () => {
    const fields = [
      { name: 'name', interface: 'input', uiSchema: { title: 'Name' } },
      { name: 'email', interface: 'email', uiSchema: { title: 'Email' } },
      { name: 'domains', interface: 'json' },
      { name: 'company', type: 'belongsTo', uiSchema: { title: 'Company' }, targetCollection: { getFields: () => [{ name: 'email', interface: 'email', title: 'Email' }] } },
      { name: 'orders', type: 'hasMany', targetCollection: { getFields: () => [{ name: 'email', interface: 'email' }] } },
    ];
    expect(emailFieldOptions(fields).map((o) => o.value)).toEqual(['name', 'email', 'company.email']);
  });
});

describe('Send email action plan', () => {
  it('on a record: the editor with To from the record’s email fields, loading a missing association', async () => {
    const loadRecord = vi.fn(async () => ({ email: 'a@x.com', company: { email: 'b@y.org' } }));
    expect(await planSendEmail({ emailFieldNames: ['email'] }, { record: { email: 'a@x.com' } })).toEqual({ kind: 'single', to: ['a@x.com'] });
    expect(await planSendEmail({ emailFieldNames: ['email', 'company.email'] }, { record: { email: 'a@x.com' }, loadRecord })).toEqual({
      kind: 'single',
      to: ['a@x.com', 'b@y.org'],
    });
    expect(loadRecord).toHaveBeenCalledWith(['company']);
  });

  it('on a top bar: a bulk job for the ticked rows, or all records of the block’s filter when set', async () => {
    const ctx = { collectionName: 'customers', dataSourceKey: 'main', blockFilter: { status: 'active' } };
    expect(await planSendEmail({ emailFieldNames: ['email'] }, { ...ctx, selectedKeys: [1, 2] })).toEqual({
      kind: 'bulk',
      source: { collection: 'customers', emailFieldNames: ['email'], filterByTk: [1, 2] },
    });
    expect(await planSendEmail({ emailFieldNames: ['email'], defaultSelectAllRecords: true }, ctx)).toEqual({
      kind: 'bulk',
      source: { collection: 'customers', emailFieldNames: ['email'], all: true, filter: { status: 'active' } },
    });
    expect((await planSendEmail({ emailFieldNames: ['email'] }, ctx)).kind).toBe('error');
    expect((await planSendEmail({}, { ...ctx, selectedKeys: [1] })).kind).toBe('error');
  });
});
