import { fireEvent, render, screen } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { vi } from 'vitest';
import type { ComposeApi } from '../../src/client/compose/compose-api';
import { ComposeProvider, OpenComposeOptions, useComposeContext } from '../../src/client/compose/ComposeProvider';
import { accounts } from './compose-fakes';

/** A button that opens the editor the way the mail center and page blocks do. */
function Opener({ options }: { options: OpenComposeOptions }) {
  const compose = useComposeContext()!;
  return (
    <button type="button" data-testid="open" onClick={() => compose.openCompose(options)}>
      open
    </button>
  );
}

/** Renders a ComposeProvider with the fake accounts and asks it to open an editor. */
export function renderOpener(api: ComposeApi, options: OpenComposeOptions = {}) {
  render(
    <App>
      <ComposeProvider api={api} accountsApi={{ list: vi.fn(async () => accounts) }} userId={5}>
        <Opener options={options} />
      </ComposeProvider>
    </App>,
  );
  fireEvent.click(screen.getByTestId('open'));
}

/** Opens one editor and returns its window. */
export async function openCompose(api: ComposeApi, options: OpenComposeOptions = {}) {
  renderOpener(api, options);
  await screen.findByTestId('compose-editor');
  return screen.getByTestId('compose-window');
}
