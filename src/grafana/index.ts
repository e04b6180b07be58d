export * from './transport';
export * from './datasources';
export * from './settings';
export * from './permissions';
export * from './useCheckRun';
export * from './appConfig';
export * from './useAppSettings';
