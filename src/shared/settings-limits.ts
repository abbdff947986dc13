// Bounds and defaults of the desktop settings. Kept free of zod (like levels.ts) so the renderer
// can show and pre-check them without bundling the schema library; settings.contract.ts
// builds its schemas from these same numbers.
export const AUTO_LOCK_MINUTES = { min: 1, max: 240, default: 5 } as const;
/** Below 10 s nobody can read the dialog; 3600 s is the `serve --approval-timeout` ceiling. */
export const APPROVAL_EXPIRY_SECONDS = { min: 10, max: 3600, default: 300 } as const;
