/**
 * The Workflow plugin's client, found at run time. Email manager must load without it (the
 * Workflow plugin may be disabled), and the app hands a plugin's exports to other bundles only
 * when that plugin is enabled: a static `import '@nocobase/plugin-workflow/client'` would make
 * requirejs fetch a module that is not there and fail our whole bundle. So the trigger and the
 * node are built from the base classes and inputs this lookup finds, or not at all.
 */
import type { ComponentType } from 'react';

export const WORKFLOW_CLIENT_MODULE = '@nocobase/plugin-workflow/client';

/** What we use of the Workflow plugin's client exports. */
export interface WorkflowClientModule {
  Trigger: new () => object;
  Instruction: new () => object;
  WorkflowVariableInput: ComponentType<Record<string, unknown>>;
  WorkflowVariableTextArea: ComponentType<Record<string, unknown>>;
  WorkflowVariableRawTextArea: ComponentType<Record<string, unknown>>;
}

/** The Workflow client plugin's registries. */
export interface WorkflowClientPlugin {
  registerTrigger(type: string, trigger: object | (new () => object)): void;
  registerInstruction(type: string, instruction: object | (new () => object)): void;
}

interface AppModules {
  /** Where the app keeps each loaded plugin's exports under `<package>/client`. */
  __nocobase_app_dev_plugins__?: Record<string, unknown>;
  requirejs?: ((name: string) => unknown) & { defined?(name: string): boolean };
}

function isWorkflowModule(value: unknown): value is WorkflowClientModule {
  const m = value as Partial<WorkflowClientModule> | null | undefined;
  return typeof m?.Trigger === 'function' && typeof m?.Instruction === 'function' && typeof m?.WorkflowVariableInput === 'function';
}

/** The module, if the app loaded the Workflow plugin's client; null otherwise (never a request). */
export function findWorkflowModule(scope: AppModules = globalThis as AppModules): WorkflowClientModule | null {
  const loaded = scope.__nocobase_app_dev_plugins__?.[WORKFLOW_CLIENT_MODULE];
  if (isWorkflowModule(loaded)) return loaded;
  try {
    // `defined` answers only for a module already loaded, so this never starts a fetch.
    if (scope.requirejs?.defined?.(WORKFLOW_CLIENT_MODULE)) {
      const required = scope.requirejs(WORKFLOW_CLIENT_MODULE);
      if (isWorkflowModule(required)) return required;
    }
  } catch {
    // Not loaded: no workflow parts.
  }
  return null;
}

/** The Workflow client plugin among the app's plugins, by its name or its package. */
export function findWorkflowPlugin(pm: object): WorkflowClientPlugin | null {
  // The app's PluginManager is typed from a module whose declarations are not installed; its `get` is all we need.
  const get = (name: string) => (pm as { get?(name: string): unknown }).get?.(name);
  const plugin = (get('workflow') ?? get('@nocobase/plugin-workflow')) as Partial<WorkflowClientPlugin> | undefined;
  return typeof plugin?.registerTrigger === 'function' && typeof plugin.registerInstruction === 'function' ? (plugin as WorkflowClientPlugin) : null;
}
