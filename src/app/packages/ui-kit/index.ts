export * from './api';
export * from './labels';
export * from './SimpleTable';
export * from './use-background-job';
export * from './use-loaded';
export * from './ConfirmModal';
export * from './links';
