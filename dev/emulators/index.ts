/**
 * Local stand-ins for Google (OAuth + Gmail) and Microsoft (identity platform + Graph) that the
 * unmodified googleapis, msal-node and Graph SDKs talk to by configuration alone: assign an
 * emulator's `env` into process.env (endpoints are read at call time), register a client and
 * users, and drive the consent page with `consent()` or a browser.
 *
 *   const google = await startGoogleEmulator();
 *   google.addClient({ clientId, clientSecret });
 *   google.addUser({ email: 'ada@gmail.com' });
 *   Object.assign(process.env, google.env);
 */
export { startGoogleEmulator, type GoogleEmulator } from './google/emulator';
export { startMicrosoftEmulator, type MicrosoftEmulator, type MicrosoftEmulatorOptions } from './microsoft/emulator';
export type { Emulator, EmulatorOptions } from './shared/emulator';
export type { ClientInput, UserInput, AliasInput, EmulatedUser, EmulatedClient } from './shared/directory';
export type { ConsentChoice } from './shared/consent-client';
export type { FaultSpec, Fault, Faults } from './shared/faults';
export type { RequestLogEntry } from './shared/request-log';
export type { GmailMailbox } from './google/state';
export type { OutlookMailbox, MailFolder } from './microsoft/state';
export { CONSUMERS_TENANT_ID, userTenant } from './microsoft/tenants';
