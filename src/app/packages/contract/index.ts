/**
 * The API between the UI extensions and the backend, defined once: a zod schema for every
 * request and response the card and the settings page use, and the types inferred from them.
 * The backend validates requests and shapes its answers with these schemas; the UI imports the
 * types only (`import type`), so zod is not bundled into the extensions.
 */
export * from './card';
export * from './common';
export * from './feedback';
export * from './model';
export * from './qualification';
export * from './settings';
export * from './endpoints';
export * from './routes';
export * from './handoff';
