import { useLocalVariables, useVariables } from '@nocobase/client';
import { useEffect, useState } from 'react';

/** Resolves one classic variable (`{{$nPopupRecord.email}}`); null when it cannot be. */
export type ParseVariable = (expression: string) => Promise<unknown>;

/**
 * Runs `resolve` with the page's classic variable parser whenever `input` changes (compared by
 * value), and returns its latest answer; null until the first one. Classic blocks resolve their
 * settings' variables this way, in the browser, before they load anything.
 */
export function useClassicVariables<I, O>(input: I, resolve: (parse: ParseVariable, input: I) => Promise<O>): O | null {
  const variables = useVariables();
  const localVariables = useLocalVariables();
  const [output, setOutput] = useState<O | null>(null);
  const key = JSON.stringify(input ?? null);
  useEffect(() => {
    let live = true;
    const parse: ParseVariable = async (expression) => {
      if (!variables?.parseVariable) return null;
      try {
        return (await variables.parseVariable(expression, localVariables)).value;
      } catch {
        return null;
      }
    };
    resolve(parse, input).then((value) => live && setOutput(value));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return output;
}
