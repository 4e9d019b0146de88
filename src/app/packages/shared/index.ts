export * from './rejection-reasons';
export * from './relative-day';
