import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enUS from '../src/locale/en-US.json';

// jsdom lacks matchMedia, which antd's grid and responsive hooks call.
if (typeof window !== 'undefined' && !window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}
if (typeof window !== 'undefined' && !window.getComputedStyle) {
  (window as any).getComputedStyle = () => ({ getPropertyValue: () => '' });
}

// Component tests: a real i18next instance with the plugin's en-US strings and the separators
// NocoBase's app turns off (its keys are whole English sentences).
if (typeof window !== 'undefined' && !i18next.isInitialized) {
  i18next.use(initReactI18next).init({
    lng: 'en-US',
    resources: { 'en-US': { '@nocobase/plugin-email-manager': enUS } },
    interpolation: { escapeValue: false },
    keySeparator: false,
    nsSeparator: false,
  });
}

// jsdom implements getComputedStyle without pseudo-elements and logs "Not implemented" when
// antd measures the scrollbar with one; the element's own style is what antd needs.
if (typeof window !== 'undefined') {
  const computed = window.getComputedStyle.bind(window);
  window.getComputedStyle = (element: Element) => computed(element);
}

// Component tests share two cores with server tests in CI: give findBy/waitFor room to breathe.
if (typeof window !== 'undefined') {
  // Loaded only where the DOM exists; server tests never import testing-library.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@testing-library/react').configure({ asyncUtilTimeout: 5000 });
}
