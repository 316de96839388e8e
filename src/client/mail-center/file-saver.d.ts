/**
 * Why this file exists: `file-saver` is an external the NocoBase app supplies to plugin bundles
 * (shared/notes/client-recipe.md §2); it is not installed here, so its one function is declared.
 */
declare module 'file-saver' {
  export function saveAs(data: Blob | string, filename?: string, options?: { autoBom?: boolean }): void;
}
