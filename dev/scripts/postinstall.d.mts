export declare function linkSelf(): void;
