export * from './config.ts';
export * from './keys.ts';
export * from './store.ts';
