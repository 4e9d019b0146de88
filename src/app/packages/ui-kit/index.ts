export * from './api';
export * from './backend-types';
export * from './labels';
export * from './SimpleTable';
export * from './use-background-job';
export * from './use-loaded';
