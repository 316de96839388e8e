/** What `mailSettings:read` returns: secrets only as "is set". */
export interface SettingsView {
  googleClientId: string;
  googleClientSecretSet: boolean;
  googleConfigured: boolean;
  microsoftClientId: string;
  microsoftClientSecretSet: boolean;
  microsoftTenant: string;
  microsoftConfigured: boolean;
  syncInterval: number;
  massSendInterval: number;
  /** S-ACL-6: department owners read their departments' mail; only with the Departments plugin. */
  viewByDepartment?: boolean;
  departmentsAvailable?: boolean;
  redirectUri: string;
}

/** What `mailSettings:set` accepts: a secret left out keeps the stored one, null clears it. */
export type SettingsUpdate = Partial<{
  googleClientId: string;
  googleClientSecret: string | null;
  microsoftClientId: string;
  microsoftClientSecret: string | null;
  microsoftTenant: string;
  syncInterval: number;
  massSendInterval: number;
  viewByDepartment: boolean;
}>;

/** A failed save: the server's field errors (HTTP 400), or one message. */
export class SaveError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: { field?: string; message: string }[] = [],
  ) {
    super(message);
  }
}
