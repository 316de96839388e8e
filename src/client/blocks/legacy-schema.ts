import { useField, useFieldSchema } from '@formily/react';
import { useDesignable } from '@nocobase/client';

/**
 * A classic (v1) block's or action's settings, kept in one key of its schema
 * (`x-component-props` for blocks, `x-action-settings` for actions) and saved with the page in
 * uiSchemas, as NocoBase's own settings do.
 */
export function useSchemaPatch(key: 'x-component-props' | 'x-action-settings' = 'x-component-props') {
  const fieldSchema = useFieldSchema();
  const field = useField();
  const { dn } = useDesignable();
  const props = (fieldSchema[key] || {}) as Record<string, any>;
  const patch = (values: Record<string, unknown>) => {
    const next = { ...props, ...values };
    fieldSchema[key] = next;
    // The rendered field keeps its own copy of the component props: update both.
    if (key === 'x-component-props' && field) (field as any).componentProps = next;
    dn.emit('patch', { schema: { 'x-uid': fieldSchema['x-uid'], [key]: next } });
    dn.refresh();
  };
  return { props, patch };
}
