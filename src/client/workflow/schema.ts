/** Helpers for the editor forms' Formily schemas. */
import { NAMESPACE } from '../locale';

/** A title the schema compiler translates in our namespace when the form renders. */
export const tx = (text: string) => `{{t(${JSON.stringify(text)}, { ns: ${JSON.stringify(NAMESPACE)} })}}`;

/** Shows a field only while the field at `path` satisfies the expression over `$deps[0]`. */
export const visibleWhen = (path: string, expression: string) => [
  { dependencies: [path], fulfill: { state: { visible: `{{${expression}}}` } } },
];
