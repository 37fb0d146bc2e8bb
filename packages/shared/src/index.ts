export * from './dictionaries.ts';
export * from './uscc.ts';
