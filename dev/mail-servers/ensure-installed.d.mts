export declare const PACKAGES: string[];
/** Packages whose files are missing (empty when all is installed). */
export declare function missingPackages(): string[];
/** Installs what is missing; returns the packages it installed ([] when nothing was missing). Throws when it cannot. */
export declare function ensureMailServersInstalled(options?: { quiet?: boolean }): string[];
