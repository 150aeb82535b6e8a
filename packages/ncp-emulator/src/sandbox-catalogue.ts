// The catalogue the sandbox starts with: two products of the caller's own account (one PUBLIC, one PROTECTED), one
// unpublished draft, and one PUBLIC product of another account, each with an API, a stage and a usage plan.
// Fixed ids so docs, tests and scripts can name them.

import type { ProductInput } from './types.ts';

/** Tenant id of the "other account" that publishes the partner product. */
export const OTHER_TENANT_ID = '0a7e3c0ffee00000000000000000b2d1';

export function sandboxCatalogue(): ProductInput[] {
  return [
    {
      productId: 'weatherpub',
      productName: 'weather',
      productDescription: 'Forecasts for any city (PUBLIC: usable at once)',
      subscriptionCode: 'PUBLIC',
      apis: [{
        apiId: 'weatherapi',
        apiName: 'forecast',
        stages: [{ stageId: 'weatherv1s', stageName: 'v1', usagePlans: [{ usagePlanId: 'weatherbas', usagePlanName: 'weather-basic', rateRps: 5, dayQuotaRequest: 10_000, monthQuotaRequest: 300_000 }] }],
      }],
    },
    {
      productId: 'paymentprt',
      productName: 'payments',
      productDescription: 'Card payments (PROTECTED: the owner accepts each key)',
      subscriptionCode: 'PROTECTED',
      apis: [{
        apiId: 'paymentapi',
        apiName: 'charges',
        stages: [{
          stageId: 'paymentsv1',
          stageName: 'v1',
          usagePlans: [
            { usagePlanId: 'paystandrd', usagePlanName: 'payments-standard', rateRps: 10, dayQuotaRequest: 50_000, monthQuotaRequest: 1_000_000 },
            { usagePlanId: 'paypremium', usagePlanName: 'payments-premium', rateRps: 100 },
          ],
        }],
      }],
    },
    {
      productId: 'draftinner',
      productName: 'inventory-draft',
      productDescription: 'Not published yet',
      subscriptionCode: 'PROTECTED',
      isPublished: false,
      apis: [{ apiId: 'draftapi01', apiName: 'stock', stages: [] }],
    },
    {
      productId: 'mapsothers',
      productName: 'maps',
      productDescription: 'Geocoding by a partner account (PUBLIC)',
      subscriptionCode: 'PUBLIC',
      publisherId: OTHER_TENANT_ID,
      apis: [{
        apiId: 'mapsapi001',
        apiName: 'geocode',
        stages: [{ stageId: 'mapsprod01', stageName: 'prod', usagePlans: [{ usagePlanId: 'mapsbasic1', usagePlanName: 'maps-basic', rateRps: 20 }] }],
      }],
    },
  ];
}
