export * from './auth.ts';
export * from './calendar.ts';
export * from './overview.ts';
