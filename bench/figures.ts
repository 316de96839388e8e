import { P1 } from './figures/P1';
import { P1b } from './figures/P1b';
import { P2 } from './figures/P2';
import { P3 } from './figures/P3';
import { P4 } from './figures/P4';
import { P4b } from './figures/P4b';
import { P5 } from './figures/P5';
import { P6 } from './figures/P6';
import { P7 } from './figures/P7';
import { P8 } from './figures/P8';
import { P9 } from './figures/P9';

/** One measured figure: an id from the issues (P1, P2…) and a function that measures it. */
export interface Figure {
  id: string;
  description: string;
  run(): Promise<Record<string, string | number>>;
}

/** Every figure `npm run bench` knows, in the order they print. */
export const FIGURES: Figure[] = [P1, P1b, P2, P3, P4, P4b, P5, P6, P7, P8, P9];
