export * from './rejection-reasons';
export * from './relative-day';
export * from './next-step';
