/**
 * Local stand-ins for Google (OAuth + Gmail) and Microsoft (identity platform + Graph) that the
 * unmodified googleapis, msal-node and Graph SDKs talk to by configuration alone: assign an
 * emulator's `env` into process.env (endpoints are read at call time), register a client and
 * users, and drive the consent page with `consent()` or a browser.
 *
 *   const google = await startGoogleEmulator({ quotaScale: 0.1, seed: 'my-test' });
 *   google.addClient({ clientId, clientSecret });
 *   google.addUser({ email: 'ada@gmail.com' });
 *   await google.generateMailbox('ada@gmail.com', { count: 1000 });
 *   Object.assign(process.env, google.env);
 *
 * README.md lists the options, the mailbox control API and the real-service behaviours reproduced.
 */
export { startGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions } from './google/emulator';
export { startMicrosoftEmulator, type MicrosoftEmulator, type MicrosoftEmulatorOptions } from './microsoft/emulator';
export type { Emulator, EmulatorOptions } from './shared/emulator';
export type { ClientInput, UserInput, AliasInput, EmulatedUser, EmulatedClient } from './shared/directory';
export type { ConsentChoice } from './shared/consent-client';
export type { FaultSpec, Fault, Faults } from './shared/faults';
export type { RequestLogEntry } from './shared/request-log';
export type { GmailMailbox, GmailMessage, GmailLabel, HistoryRecord } from './google/mailbox';
export type { GmailControls, GmailAddInput, GmailMessageState } from './google/controls';
export type { OutlookMailbox, OutlookMessage, MailFolder } from './microsoft/mailbox';
export type { OutlookControls, OutlookAddInput, OutlookMessageState } from './microsoft/controls';
export type { LimitOptions, Usage } from './shared/limits';
export type { SeedInput, SeedMessage, Box } from './shared/seed';
export { generateMessages, type GenerateOptions } from './shared/generator';
export { summarize, type MailSummary } from './shared/message-summary';
export { CONSUMERS_TENANT_ID, userTenant } from './microsoft/tenants';
