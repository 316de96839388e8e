import { saveAs } from 'file-saver';

/**
 * Saves downloaded bytes under their name. file-saver is supplied by the NocoBase app at run time
 * (an external of the bundle); this one-line module keeps it out of components that tests load.
 */
export function saveFile(blob: Blob, filename: string): void {
  saveAs(blob, filename);
}
