export * from './dictionaries.ts';
export * from './uscc.ts';
export * from './mask.ts';
