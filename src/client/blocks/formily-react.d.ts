/**
 * The app supplies @formily/react to plugin bundles at run time (it is external in the client
 * build), but its types are not installed: declare the two hooks the classic block settings use.
 */
declare module '@formily/react' {
  /** The schema of the block whose settings menu is open. */
  export function useFieldSchema(): any;
  /** The block's field: its `componentProps` are what the component renders with. */
  export function useField(): any;
}
