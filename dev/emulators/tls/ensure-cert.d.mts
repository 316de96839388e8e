export declare const TLS_DIR: string;
export declare const CERT_PATH: string;
export declare const KEY_PATH: string;
/** Returns true when a new certificate was written, false when one was already there. */
export declare function ensureCert(): boolean;
