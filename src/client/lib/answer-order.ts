/**
 * Which server answers a list may show. An answer to an older query (another page, box or
 * filter) is dropped; answers to the current query are shown in the order they were asked,
 * even while a newer refresh of it is on its way. Showing only the latest request's answer
 * starved the lists: with mail changing every second in other tabs and a list taking longer
 * than that on a busy server, no answer was ever the latest, and the page never changed.
 */
export class AnswerOrder {
  private key: string | undefined;
  private asked = 0;
  private shown = 0;

  /** Call when a request for `key` is sent; the answer may be shown if `accept()` says so. */
  ask(key: string): { accept(): boolean; current(): boolean } {
    if (key !== this.key) {
      this.key = key;
      this.shown = 0;
    }
    const call = ++this.asked;
    return {
      accept: () => {
        if (this.key !== key || call <= this.shown) return false;
        this.shown = call;
        return true;
      },
      /** Still the newest request (for clearing a spinner). */
      current: () => this.key === key && call === this.asked,
    };
  }
}
