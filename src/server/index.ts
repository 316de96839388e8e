export { default, PluginEmailManagerServer } from './plugin';
