/**
 * The "Email" tab of Settings → Users & permissions → Roles & permissions: who may use the mail
 * features and who may read other users' mail (the two snippets the server checks, acl.ts and
 * blocks/block-scope.ts). NocoBase lists only its own snippets in a role's System tab, so this
 * tab is where an administrator grants or takes away the all-mail permission, role by role.
 */
import { useAPIClient } from '@nocobase/client';
import { Alert, Space, Switch, Typography, message } from 'antd';
import React, { useCallback, useEffect, useState } from 'react';
import { useT } from '../locale';
import { ALL_MAIL_SNIPPET, holds, mentions, USER_SNIPPET, withSnippet } from '../../shared/acl-snippets';

export function RoleMailPermissions({ roleName }: { roleName: string }) {
  const t = useT();
  const api = useAPIClient();
  const [snippets, setSnippets] = useState<string[] | null>(null);
  const [saving, setSaving] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setSnippets(null);
    api
      .request({ url: 'roles:get', params: { filterByTk: roleName } })
      .then((res: any) => live && setSnippets(res.data?.data?.snippets || []))
      .catch(() => live && setSnippets([]));
    return () => {
      live = false;
    };
  }, [api, roleName]);

  const toggle = useCallback(
    async (name: string, on: boolean) => {
      if (!snippets) return;
      const next = withSnippet(snippets, name, on);
      setSaving(name);
      try {
        await api.request({ url: 'roles:update', method: 'post', params: { filterByTk: roleName }, data: { snippets: next } });
        setSnippets(next);
        message.success(t('Saved'));
      } finally {
        setSaving(null);
      }
    },
    [api, roleName, snippets, t],
  );

  if (!snippets) return null;
  const rows = [
    { name: USER_SNIPPET, title: t('Use email'), help: t('Connect their own mailboxes, read and send their own mail.') },
    {
      name: ALL_MAIL_SNIPPET,
      title: t("Read all users' emails"),
      help: t(
        "Email table blocks set to All emails show other users' sent and received mail, read-only (never their drafts, scheduled mail or Bcc). A View permission on Emails with a data scope, set for this role, narrows it.",
      ),
    },
  ];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="role-mail-permissions">
      {rows.map((row) => (
        <Space key={row.name} align="start">
          <Switch
            checked={holds(snippets, row.name)}
            loading={saving === row.name}
            onChange={(on) => toggle(row.name, on)}
            data-testid={`role-mail-${row.name}`}
          />
          <div>
            <Typography.Text strong>{row.title}</Typography.Text>
            <br />
            <Typography.Text type="secondary">{row.help}</Typography.Text>
          </div>
        </Space>
      ))}
      {mentions(snippets, ALL_MAIL_SNIPPET) && !holds(snippets, ALL_MAIL_SNIPPET) && (
        <Alert type="info" showIcon message={t("This role is refused reading other users' emails explicitly.")} />
      )}
    </Space>
  );
}

/** Adds the tab to NocoBase's role editor when the ACL plugin is there. */
export function registerRoleTab(app: any) {
  const acl = app.pm.get('acl') ?? app.pm.get('@nocobase/plugin-acl');
  acl?.settingsUI?.addPermissionsTab?.(({ t, TabLayout, activeRole }: any) => ({
    key: 'email-manager',
    label: t('Email', { ns: '@nocobase/plugin-email-manager' }),
    sort: 60,
    children: <TabLayout>{activeRole?.name ? <RoleMailPermissions roleName={activeRole.name} /> : null}</TabLayout>,
  }));
}
