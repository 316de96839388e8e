/** Settings → Email settings: the page NocoBase's settings center shows, wired to the API. */
import { useAPIClient } from '@nocobase/client';
import { Alert, Card, Spin } from 'antd';
import React, { useCallback, useEffect, useState } from 'react';
import { useT } from '../locale';
import type { SettingsUpdate, SettingsView } from '../../shared/settings-api';
import { loadSettings, saveSettings } from './settings-api';
import { SettingsForm } from './SettingsForm';
import { SyncLogsTab } from './SyncLogsTab';

/** Settings → Email settings: loads the settings and saves changes through the plugin's API. */
export function EmailSettingsPage() {
  const t = useT();
  const api = useAPIClient();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadSettings(api)
      .then(setSettings)
      .catch((e: Error) => setError(e.message));
  }, [api]);

  const onSave = useCallback(
    async (update: SettingsUpdate) => {
      const next = await saveSettings(api, update);
      setSettings(next);
      return next;
    },
    [api],
  );

  return (
    <Card bordered={false}>
      {error && <Alert type="error" showIcon message={t('The settings could not be loaded')} description={error} />}
      {!error && !settings && <Spin />}
      {settings && (
        <SettingsForm
          settings={settings}
          onSave={onSave}
          extraTabs={[{ key: 'logs', label: t('Sync logs'), children: <SyncLogsTab api={api as any} /> }]}
        />
      )}
    </Card>
  );
}
