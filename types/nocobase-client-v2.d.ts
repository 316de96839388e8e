/**
 * Why this file exists: the published @nocobase/client declarations (unpacked by
 * dev/scripts/postinstall.mjs) import their base classes from `@nocobase/client-v2`, which is not
 * on the registry. This declares the few members our client code uses, typed after the real
 * NocoBase 2.2 classes; everything else in that module stays untyped (skipLibCheck).
 */
declare module '@nocobase/client-v2' {
  import type { i18n } from 'i18next';

  export interface PluginOptions {
    name?: string;
    packageName?: string;
    [key: string]: unknown;
  }

  export class BaseApplication<O = any, PM = any, RM = any, API = any, PSM = any> {
    options: O;
    pm: PM;
    router: RM;
    apiClient: API;
    pluginSettingsManager: PSM;
    i18n: i18n;
    addComponents(components: Record<string, unknown>): void;
    addProvider(component: unknown, props?: unknown): void;
    use(component: unknown, props?: unknown): void;
  }

  export class Plugin<T = PluginOptions, App = BaseApplication> {
    constructor(options: T, app: App);
    app: App;
    options: T;
    afterAdd(): Promise<void>;
    beforeLoad(): Promise<void>;
    load(): Promise<void>;
    t(text: string, options?: Record<string, unknown>): string;
  }

  export class RouterManager<App = unknown> {
    add(name: string, route: RouteType): void;
    remove(name: string): void;
  }

  export interface RouteType {
    path?: string;
    Component?: any;
    element?: any;
    [key: string]: any;
  }

  export type ComponentTypeAndString = any;
  export type RouterOptions = any;
  export type BaseApplicationOptions = any;
  export type ComponentAndProps = any;
  export type WebSocketClientOptions = any;
}
