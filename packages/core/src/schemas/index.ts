// Public surface of the schemas.
export * from './text.ts';
export * from './input.ts';
export * from './response.ts';
export * from './error-envelope.ts';
export * from './products.ts';
