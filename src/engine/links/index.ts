export * from './explore';
export * from './routes';
