// Writes policy.schema.json from the zod policy schema (`pnpm --filter @apikey/slack run policy-schema`);
// test/policy.test.ts fails when the shipped file and the schema drift apart.
import { writeFileSync } from 'node:fs';
import { policySchemaText } from '../src/policy.ts';

writeFileSync(new URL('../policy.schema.json', import.meta.url), policySchemaText());
