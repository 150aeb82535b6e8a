// Owns which command lines open the wizard and where it starts. Core-free, so main.ts can decide and render
// the first frame before core (and zod) are loaded.

import type { ParsedArgs } from './args.ts';

export type WizardRoute =
  | { screen: 'menu' }
  | { screen: 'create'; name?: string; description?: string; products?: readonly string[] }
  | { screen: 'rotate'; apiKeyId?: string; keyType?: 'PRIMARY' | 'SECONDARY' }
  | { screen: 'delete'; apiKeyId?: string };

/** The wizard's starting screen for an interactive run, or undefined when the command is scriptable anyway. */
export function wizardRouteFor(args: ParsedArgs): WizardRoute | undefined {
  const { flags } = args;
  switch (args.command) {
    case undefined:
      return { screen: 'menu' };
    case 'create': {
      // --product is repeatable (always a list); the picker opens with every one of them ticked.
      const products = Array.isArray(flags.product) ? flags.product : typeof flags.product === 'string' ? [flags.product] : [];
      if (flags['dry-run'] === true) return undefined;
      return {
        screen: 'create',
        ...(typeof flags.name === 'string' ? { name: flags.name } : {}),
        ...(typeof flags.description === 'string' ? { description: flags.description } : {}),
        ...(products.length > 0 ? { products } : {}),
      };
    }
    case 'rotate': {
      const keyType = flags.primary ? 'PRIMARY' : flags.secondary ? 'SECONDARY' : undefined;
      return { screen: 'rotate', ...(args.apiKeyId !== undefined ? { apiKeyId: args.apiKeyId } : {}), ...(keyType ? { keyType } : {}) };
    }
    case 'delete':
      return { screen: 'delete', ...(args.apiKeyId !== undefined ? { apiKeyId: args.apiKeyId } : {}) };
    default:
      return undefined;
  }
}
