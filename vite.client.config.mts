import { defineConfig } from 'vite';

/**
 * The client half is a UMD bundle the NocoBase app loads with requirejs. These modules are
 * supplied by the running app (shared/notes/client-recipe.md §2); everything else is bundled.
 */
const APP_MODULES = [
  'react', 'react-dom', 'react/jsx-runtime', 'react-router', 'react-router-dom', 'antd', 'antd-style',
  '@ant-design/icons', '@ant-design/cssinjs', '@emotion/css', '@formily/core', '@formily/react',
  '@formily/shared', '@formily/json-schema', '@formily/reactive', '@formily/reactive-react', '@formily/path',
  '@formily/validator', '@formily/antd-v5', '@nocobase/client', '@nocobase/client/client', '@nocobase/utils',
  '@nocobase/utils/client', '@nocobase/sdk', '@nocobase/evaluators', '@nocobase/evaluators/client',
  '@nocobase/flow-engine', '@dnd-kit/core', '@dnd-kit/sortable', 'axios', 'dayjs', 'lodash', 'ahooks',
  'i18next', 'react-i18next', 'file-saver',
];

export default defineConfig({
  define: { 'process.env.NODE_ENV': '"production"' },
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    lib: { entry: 'src/client/index.tsx', name: 'EmailManager', formats: ['umd'], fileName: () => 'index.js' },
    rollupOptions: {
      external: APP_MODULES,
      // TipTap's React build starts with "use client" (for server components); a bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      // Only used by the plain-script branch of UMD, which the app never takes.
      output: { exports: 'named', globals: Object.fromEntries(APP_MODULES.map((name) => [name, name])) },
    },
  },
});
