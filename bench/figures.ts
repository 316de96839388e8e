/** One measured figure: an id from the issues (P1, P2…) and a function that measures it. */
export interface Figure {
  id: string;
  description: string;
  run(): Promise<Record<string, string | number>>;
}

/** Every figure `npm run bench` knows, in the order they print. */
export const FIGURES: Figure[] = [];
