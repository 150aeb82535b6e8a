// Owns the product side of the scriptable CLI: `apikey products`, `subscribe`, `unsubscribe`, `create --product`
// (a key that opens the named products, in one command) and the product list that `show` adds. Products are named by
// id or exact name and looked up before anything is changed; a failed step prints exactly what to run next.

import { journaledCreate, type CreateJournalUse } from './create-journal.ts';
import {
  createKeyForProducts,
  isApiKeyError,
  NotFoundError,
  printable,
  redact,
  resolveProducts,
  listStageUrls,
  type ApiGatewayClient,
  type ApiKey,
  type CreateKeyForProductsResult,
  type Product,
  type PublishedProduct,
  type ResolvedProduct,
} from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { EXIT, errorDocument } from './errors.ts';
import { API_KEY_HEADER, keyDetails, productStatusMeaning as meaning, STORE_NOTE, style } from './output.ts';

export { API_KEY_HEADER };

export type KeyProduct = { productId: string; productName: string | null; status: string | null };

const ID_LIKE = /^[A-Za-z0-9_-]{1,64}$/;

/** Every value of a repeatable flag, in order. */
export function productRefs(flag: string | boolean | string[] | undefined): string[] {
  if (Array.isArray(flag)) return flag;
  return typeof flag === 'string' ? [flag] : [];
}

function checkRef(ref: string): void {
  if (ref.trim() === '' || [...ref].length > 100 || /[\u0000-\u001f\u007f-\u009f]/.test(ref)) {
    throw new UsageError('--product must be a product id or name of 1-100 characters without control characters');
  }
}

/**
 * Turns each --product value into a product: an id (own product, then the catalogue) or else an exact name among
 * own and published products. Unknown or invisible → NotFoundError naming it; a name shared by several → usage error.
 */
export async function resolveProductRefs(client: ApiGatewayClient, refs: readonly string[], signal: AbortSignal): Promise<ResolvedProduct[]> {
  const out: ResolvedProduct[] = [];
  for (const ref of refs) {
    checkRef(ref);
    if (ID_LIKE.test(ref)) {
      try {
        out.push(...(await resolveProducts(client, [ref], { signal })));
        continue;
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    const ids = new Set<string>();
    for await (const p of client.iterateProducts({ productName: ref }, { signal })) if (p.productName === ref) ids.add(p.productId);
    for await (const p of client.iteratePublishedProducts({ productName: ref }, { signal })) if (p.productName === ref) ids.add(p.productId);
    if (ids.size > 1) throw new UsageError(`--product '${ref}' names ${ids.size} products (${[...ids].map(printable).join(', ')}); pass the product id`);
    const [id] = ids;
    if (id === undefined) throw new NotFoundError(`product '${ref}' does not exist or is not visible to this account`);
    out.push(...(await resolveProducts(client, [id], { signal })));
  }
  // The same product named twice (by id and by name) is one product.
  return out.filter((p, i) => out.findIndex((q) => q.productId === p.productId) === i);
}

/** The key's products with NCP's relation status, every page. */
export async function keyProducts(client: ApiGatewayClient, apiKeyId: string, signal: AbortSignal): Promise<KeyProduct[]> {
  const out: KeyProduct[] = [];
  for await (const p of client.iterateApiKeyProducts(apiKeyId, {}, { signal })) out.push({ productId: p.productId, productName: p.productName ?? null, status: p.status ?? null });
  return out;
}


export function productLines(products: readonly KeyProduct[]): string {
  if (products.length === 0) return '  (not subscribed to any product: the key opens nothing yet)';
  const rows = products.map((p) => [`${printable(p.productName ?? '')} (${printable(p.productId)})`, printable(p.status ?? '?'), meaning(p.status)]);
  const w0 = Math.max(...rows.map((r) => [...(r[0] as string)].length));
  const w1 = Math.max(...rows.map((r) => (r[1] as string).length));
  return rows.map(([a, b, c]) => `  ${(a as string) + ' '.repeat(w0 - [...(a as string)].length)}  ${(b as string).padEnd(w1)}  ${c}`).join('\n');
}

/** Invoke URLs of a product's stages; only the owner can list them, so another account's product gives none. */
async function stageUrls(client: ApiGatewayClient, p: ResolvedProduct, signal: AbortSignal): Promise<string[]> {
  return p.ownProduct ? listStageUrls(client, p.productId, { signal }) : [];
}

const quote = (s: string): string => (/^[A-Za-z0-9_.:/@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export async function runProductCommand(args: ParsedArgs, io: Io, client: () => Promise<ApiGatewayClient>, signal: AbortSignal): Promise<number> {
  const { flags } = args;
  const json = flags.json === true;
  const s = style(io.color);
  const ref = typeof flags.product === 'string' ? flags.product : undefined;
  const requireTarget = (): [string, string] => {
    if (args.apiKeyId === undefined) throw new UsageError(`<apiKeyId> is required: apikey ${String(args.command)} <apiKeyId> --product P`);
    if (ref === undefined) throw new UsageError(`--product is required: apikey ${String(args.command)} ${args.apiKeyId} --product P`);
    checkRef(ref);
    return [args.apiKeyId, ref];
  };

  switch (args.command) {
    case 'products': {
      const filter = typeof flags.name === 'string' ? flags.name : undefined;
      if (filter !== undefined && ([...filter].length > 100 || /[\u0000-\u001f\u007f-\u009f]/.test(filter))) {
        throw new UsageError('--name filter must be at most 100 characters without control characters');
      }
      const c = await client();
      const q = filter !== undefined && filter !== '' ? { productName: filter } : {};
      const rows: (Product | PublishedProduct)[] = [];
      if (flags.catalog === true) for await (const p of c.iteratePublishedProducts(q, { signal })) rows.push(p);
      else for await (const p of c.iterateProducts(q, { signal })) rows.push(p);
      if (json) {
        io.out(`${JSON.stringify(rows, null, 2)}\n`);
        return EXIT.ok;
      }
      if (rows.length === 0) {
        io.out(flags.catalog === true ? 'No published products match.\n' : "No products of your own match. Try 'apikey products --catalog' for every published product.\n");
        return EXIT.ok;
      }
      const last = flags.catalog === true ? 'SUBSCRIBED' : 'PUBLISHED';
      const table = [['ID', 'NAME', 'ACCESS', last, 'DESCRIPTION'], ...rows.map((p) => {
        const flag = 'subscribed' in p ? p.subscribed : 'isPublished' in p ? p.isPublished : undefined;
        return [printable(p.productId), printable(p.productName ?? ''), printable(p.subscriptionCode ?? ''), flag === undefined ? '' : flag ? 'yes' : 'no', printable(p.productDescription ?? '')];
      })];
      const widths = (table[0] as string[]).map((_, i) => Math.max(...table.map((r) => [...(r[i] as string)].length)));
      io.out(`${table.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] as number) - [...cell].length))).join('  ').trimEnd()).join('\n')}\n`);
      io.out(`\n${s.dim("PUBLIC: a subscribed key works at once. PROTECTED: the product's owner accepts each key.")}\n`);
      return EXIT.ok;
    }
    case 'subscribe': {
      const [apiKeyId, productRef] = requireTarget();
      const c = await client();
      const [product] = await resolveProductRefs(c, [productRef], signal);
      if (product === undefined) throw new NotFoundError(`product '${productRef}' does not exist or is not visible to this account`);
      await c.getApiKey(apiKeyId, { signal });
      await c.subscribeApiKey(apiKeyId, product.productId, { signal });
      const status = (await keyProducts(c, apiKeyId, signal)).find((p) => p.productId === product.productId)?.status ?? null;
      if (json) io.out(`${JSON.stringify({ apiKeyId, productId: product.productId, status })}\n`);
      else io.out(`Subscribed ${apiKeyId} to "${printable(product.productName ?? product.productId)}" (${printable(product.productId)}): ${printable(status ?? '?')}, ${meaning(status)}.\n`);
      return EXIT.ok;
    }
    case 'unsubscribe': {
      const [apiKeyId, productRef] = requireTarget();
      if (flags.yes !== true) throw new UsageError(`--yes is required to cancel a subscription: apikey unsubscribe ${apiKeyId} --product ${quote(productRef)} --yes`);
      const c = await client();
      const [product] = await resolveProductRefs(c, [productRef], signal);
      if (product === undefined) throw new NotFoundError(`product '${productRef}' does not exist or is not visible to this account`);
      await c.unsubscribeApiKey(apiKeyId, product.productId, { signal });
      if (json) io.out(`${JSON.stringify({ apiKeyId, productId: product.productId, status: 'UNSUBSCRIBED' })}\n`);
      else io.out(`Unsubscribed ${apiKeyId} from "${printable(product.productName ?? product.productId)}" (${printable(product.productId)}).\n`);
      return EXIT.ok;
    }
    default:
      throw new Error(`'${String(args.command)}' is not a product command`);
  }
}

/** What a create-for-products run did, in the terms both the scriptable output and the wizard show. */
export type ProductKeyReport = {
  apiKey: ApiKey;
  /** Per product: NCP's relation status (REQUEST, ACCEPTED, …), FAILED when the subscribe failed, null when unread. */
  subscriptions: KeyProduct[];
  /** Stage URLs of the caller's own products, to call with API_KEY_HEADER. */
  urls: string[];
  /** Why the stage URLs could not be listed (the key and subscriptions stand). */
  urlProblem?: string;
  /** Some product belongs to another account: its publisher documents the URL. */
  foreignProducts: boolean;
  /** Commands that finish the steps that failed, one per line; empty when complete. */
  rerun: string[];
  /** The error of each product step that failed. */
  failures: { productId: string; error: Error }[];
};

/**
 * Looks every product ref (id or exact name) up first, then runs core's resumable createKeyForProducts and lists
 * the stage URLs. Shared by `apikey create --product` and the wizard's create flow.
 */
export async function createKeyWithProducts(
  client: ApiGatewayClient,
  input: { apiKeyName: string; apiKeyDescription: string },
  refs: readonly string[],
  signal: AbortSignal,
  journal?: CreateJournalUse,
): Promise<ProductKeyReport> {
  const products = await resolveProductRefs(client, refs, signal);
  const productIds = products.map((p) => p.productId);
  // A random id per create, kept in the journal until it returns: a retry inside this run resumes the same key,
  // and so does the same command run again after this process died while the key still carries its marker; a
  // create that finished is never resumed. (core's createKeyForProducts finds the key by its marker, so a crash
  // after NCP applied the final PUT is not told apart: docs/idempotency.md names that limit.)
  const result = await journaledCreate(
    journal?.journal,
    { endpoint: journal?.endpoint ?? '', name: input.apiKeyName, description: input.apiKeyDescription, products: productIds },
    journal?.note ?? (() => {}),
    (operationId) => createKeyForProducts(client, {
      name: input.apiKeyName,
      description: input.apiKeyDescription,
      productIds,
      operationId,
      onIncomplete: 'finalise',
    }, { signal }),
    () => globalThis.crypto.randomUUID().replace(/-/g, ''),
  );
  const subscriptions = result.products.map((p) => ({
    productId: p.productId,
    productName: p.productName ?? null,
    status: p.subscribe === 'failed' ? 'FAILED' : p.status ?? null,
  }));
  const urls: string[] = [];
  let urlProblem: string | undefined;
  try {
    for (const p of products) urls.push(...(await stageUrls(client, p, signal)));
  } catch (e) {
    // The key is made and subscribed; failing to list hosts must not hide its values.
    urlProblem = isApiKeyError(e) ? e.message : String(e);
  }
  const rerun = rerunLines(result.apiKey, input, result);
  const failures = result.products.flatMap((p) => (p.error !== undefined ? [{ productId: p.productId, error: p.error as Error }] : []));
  return {
    apiKey: result.apiKey,
    subscriptions,
    urls,
    ...(urlProblem !== undefined ? { urlProblem } : {}),
    foreignProducts: result.products.some((p) => !p.ownProduct),
    rerun,
    failures,
  };
}

/** `apikey create --product P…`: createKeyWithProducts, printed as text or the --json document. */
export async function createWithProducts(
  io: Io,
  client: ApiGatewayClient,
  input: { apiKeyName: string; apiKeyDescription: string },
  refs: readonly string[],
  o: { json: boolean; signal: AbortSignal; journal?: CreateJournalUse },
): Promise<number> {
  const report = await createKeyWithProducts(client, input, refs, o.signal, o.journal);
  const { apiKey: key, subscriptions, urls, urlProblem, rerun } = report;

  if (o.json) {
    io.out(`${JSON.stringify({ ...key, subscriptions }, null, 2)}\n`);
    if (rerun.length > 0) {
      const doc = errorDocument(report.failures[0]?.error ?? new Error('a step did not finish'));
      io.err(`${JSON.stringify({ error: { ...doc.error, rerun } })}\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  }

  const s = style(io.color);
  const lines = [
    s.bold(`Created API key "${printable(key.apiKeyName ?? input.apiKeyName)}"`),
    keyDetails(key, { showKeys: true }),
    '',
    'Products:',
    productLines(subscriptions.map((x) => ({ ...x, status: x.status === 'FAILED' ? null : x.status }))),
  ];
  const waiting = subscriptions.filter((x) => x.status === 'REQUEST');
  if (waiting.length > 0) lines.push('', `The key does not open ${waiting.map((w) => `"${printable(w.productName ?? w.productId)}"`).join(', ')} until the product's owner accepts it.`);
  if (urls.length > 0) lines.push('', `Call a stage with the header ${API_KEY_HEADER}: <primary or secondary key>`, ...urls.map((u) => `  ${printable(u)}`));
  if (report.foreignProducts) lines.push('', "Another account's product: its publisher documents the URL to call.");
  if (urlProblem !== undefined) lines.push('', `(could not list the stage hosts: ${printable(urlProblem)})`);
  lines.push('', s.yellow(STORE_NOTE));
  if (rerun.length > 0) {
    lines.push('', 'Not finished. The key above exists; run these to complete it:', ...rerun.map((r) => `  ${r}`));
  }
  io.out(`${lines.join('\n')}\n`);
  if (rerun.length > 0) {
    for (const f of report.failures) io.err(`error: ${printable(f.productId)}: ${printable(redact(f.error.message))}\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

/** Commands that finish an incomplete create by hand, one per step that did not. */
function rerunLines(key: ApiKey, input: { apiKeyDescription: string }, result: CreateKeyForProductsResult): string[] {
  // Ids come from NCP: quoted, so a hostile value cannot turn a copied line into another command.
  const lines = result.products.filter((p) => p.subscribe === 'failed').map((p) => `apikey subscribe ${quote(key.apiKeyId)} --product ${quote(p.productId)}`);
  if (result.description === 'failed') lines.push(`apikey update ${quote(key.apiKeyId)} --description ${quote(input.apiKeyDescription)}`);
  return lines;
}
