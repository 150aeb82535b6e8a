// Owns the create wizard: name (live counter, inline validation) → description → products (one, several ticked
// with Tab, or skip) → review → duplicate-name check → spinner → result with both keys and, per product, its
// status and the stage URLs. Esc goes back one step keeping every value typed so far. Values given as flags
// (`apikey create -n x -d y --product P` in a terminal) pre-fill the fields and, when valid, open on the
// review; --product opens on the picker so the user confirms which products they are: one with the filter set to
// it, several ticked. With products the key is made by the same code as `apikey create --product`
// (commands/products.ts).
// The input steps are one ordered list (INPUTS): a further step (a product picker, say) is one more entry there,
// a text field or a component of its own.

import type { ApiKey } from '@apikey/core';
import { API_KEY_DESCRIPTION_MAX, API_KEY_NAME_MAX, countCodePoints, printable, validateApiKeyDescription, validateApiKeyName } from '@apikey/core/lite';
import { Box, Text } from 'ink';
import { Fragment, useState, type ReactNode } from 'react';
import { API_KEY_HEADER, productStatusMeaning, STORE_NOTE } from '../commands/output.ts';
import type { ProductKeyReport } from '../commands/products.ts';
import { useKeys } from './input-router.tsx';
import { KeyValues } from './key-values.tsx';
import { osc52 } from './osc52.ts';
import { ProductPicker, type PickedProduct } from './product-picker.tsx';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { ErrorBox, Hint, keyLabel, RequestStep } from './widgets.tsx';
import { useWizard } from './wizard-context.tsx';

export type CreateValues = {
  name: string; description: string;
  /** The chosen products (none: the key opens nothing yet). */
  products: PickedProduct[];
  /** Products named by --product and not yet confirmed in the picker. */
  productRefs: readonly string[];
};

type TextInput = {
  kind: 'text'; id: 'name' | 'description'; label: string; help: string; max: number; validate: (v: string) => string | undefined;
};
/** A step drawn by its own component (a picker, say): it reports its answer as a patch of the values. */
type CustomInput = {
  kind: 'custom'; id: string; valid: (values: CreateValues) => boolean;
  render: (p: { values: CreateValues; onSubmit: (patch: Partial<CreateValues>) => void; onBack: () => void }) => ReactNode;
};
type InputStep = TextInput | CustomInput;

/** The input steps, in order. Review follows the last one; Esc on the review returns to it. */
const INPUTS: readonly InputStep[] = [
  { kind: 'text', id: 'name', label: 'Name', help: '1-20 characters, shown in the NCP console', max: API_KEY_NAME_MAX, validate: validateApiKeyName },
  { kind: 'text', id: 'description', label: 'Description', help: 'optional, up to 50 characters', max: API_KEY_DESCRIPTION_MAX, validate: validateApiKeyDescription },
  {
    kind: 'custom', id: 'product', valid: (v) => v.productRefs.length === 0 || v.products.length > 0,
    render: ({ values, onSubmit, onBack }) => {
      // One product (named, or picked before) opens as a filter on it; several open ticked.
      const named = values.productRefs.length > 0 ? values.productRefs : values.products.map((p) => p.productId);
      return (
        <ProductPicker title="Products the key opens" allowSkip multi onBack={onBack}
          initialFilter={named.length === 1 ? (named[0] ?? '') : ''} initialTicked={named.length > 1 ? named : []}
          onPickMany={(products) => onSubmit({ products, productRefs: [] })} />
      );
    },
  },
];

const isValid = (i: InputStep, values: CreateValues): boolean => (i.kind === 'text' ? i.validate(values[i.id]) === undefined : i.valid(values));

type Step =
  | { s: 'input'; index: number } | { s: 'review' } | { s: 'checking' } | { s: 'duplicate'; existing: ApiKey[] }
  | { s: 'creating' } | { s: 'result'; key: ApiKey; report?: ProductKeyReport } | { s: 'error'; error: unknown; retry: Step };

/** The first input whose value is not valid, or the review when every value given is. */
export function firstStep(values: CreateValues, prefilled: boolean): Step {
  if (!prefilled) return { s: 'input', index: 0 };
  const bad = INPUTS.findIndex((i) => !isValid(i, values));
  return bad === -1 ? { s: 'review' } : { s: 'input', index: bad };
}

export function CreateFlow({ initialName = '', initialDescription = '', initialProducts = [], onBack, onDone }: {
  initialName?: string; initialDescription?: string; initialProducts?: readonly string[]; onBack: () => void; onDone: (key: ApiKey) => void;
}) {
  const [values, setValues] = useState<CreateValues>({ name: initialName, description: initialDescription, products: [], productRefs: initialProducts });
  const [step, setStep] = useState<Step>(() => firstStep(values, initialName !== '' || initialProducts.length > 0));
  const patch = (p: Partial<CreateValues>) => setValues((old) => ({ ...old, ...p }));

  switch (step.s) {
    case 'input': {
      const input = INPUTS[step.index] as InputStep;
      const back = () => (step.index === 0 ? onBack() : setStep({ s: 'input', index: step.index - 1 }));
      const submit = (p: Partial<CreateValues>) => {
        patch(p);
        setStep(step.index + 1 < INPUTS.length ? { s: 'input', index: step.index + 1 } : { s: 'review' });
      };
      if (input.kind === 'custom') return <Fragment key={input.id}>{input.render({ values, onSubmit: submit, onBack: back })}</Fragment>;
      return (
        <TextStep key={input.id} field={input} initial={values[input.id]} onChange={(v) => patch({ [input.id]: v })}
          onBack={back} onSubmit={(v) => submit({ [input.id]: v })} />
      );
    }
    case 'review':
      return <Review values={values} onBack={() => setStep({ s: 'input', index: INPUTS.length - 1 })} onConfirm={() => setStep({ s: 'checking' })} />;
    case 'checking':
      return (
        <SameNameCheck name={values.name} onUnique={() => setStep({ s: 'creating' })} onDuplicate={(existing) => setStep({ s: 'duplicate', existing })}
          onFailed={(error) => setStep({ s: 'error', error, retry: { s: 'checking' } })} />
      );
    case 'duplicate':
      return <ConfirmDuplicate name={values.name} existing={step.existing} onYes={() => setStep({ s: 'creating' })} onNo={() => setStep({ s: 'input', index: 0 })} />;
    case 'creating':
      return (
        <Creating values={values} onCreated={(key, report) => setStep({ s: 'result', key, ...(report ? { report } : {}) })}
          onFailed={(error) => setStep({ s: 'error', error, retry: { s: 'creating' } })} />
      );
    case 'result':
      return <CreatedKey apiKey={step.key} {...(step.report ? { report: step.report } : {})} onDone={() => onDone(step.key)} />;
    case 'error':
      return <Failed error={step.error} onRetry={() => setStep(step.retry)} onBack={() => setStep({ s: 'review' })} />;
  }
}

function TextStep({ field: f, initial, onChange, onSubmit, onBack }: {
  field: TextInput; initial: string; onChange: (v: string) => void; onSubmit: (v: string) => void; onBack: () => void;
}) {
  // A pre-filled value that is already wrong shows its problem at once.
  const [touched, setTouched] = useState(initial !== '' && f.validate(initial) !== undefined);
  const field = useTextField(initial, (v) => { setTouched(true); onChange(v); });
  useKeys((input, key) => {
    if (key.escape) return onBack();
    const step = field.feed(input, key);
    if (!step.submit) return;
    if (f.validate(step.state.value) !== undefined) setTouched(true);
    else onSubmit(step.state.value);
    return step.rest;
  });
  const count = countCodePoints(field.shown.value);
  const problem = touched ? f.validate(field.shown.value) : undefined;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{f.label}</Text> <Text dimColor>({f.help})</Text>
      </Text>
      <Box>
        <Text color="cyan">› </Text>
        <TextFieldView field={field.shown} />
        <Text color={count > f.max ? 'red' : 'gray'}>  {count}/{f.max}</Text>
      </Box>
      {problem ? <Text color="red">✖ {printable(problem)}</Text> : <Text> </Text>}
      <Hint>Enter to continue · Esc to go back · Ctrl+C to quit</Hint>
    </Box>
  );
}

function Review({ values, onBack, onConfirm }: { values: CreateValues; onBack: () => void; onConfirm: () => void }) {
  useKeys((input, key) => {
    if (key.escape || (input === 'n' && !key.ctrl && !key.meta)) return onBack();
    if (key.return || (input === 'y' && !key.ctrl && !key.meta)) return onConfirm();
  });
  const description = values.description.trim();
  return (
    <Box flexDirection="column">
      <Text bold>Create this API key?</Text>
      <Text>  Name         {printable(values.name.trim())}</Text>
      <Text>  Description  {description === '' ? <Text dimColor>(none)</Text> : printable(description)}</Text>
      {values.products.length === 0 ? <Text>  Product      <Text dimColor>(none)</Text></Text> : null}
      {values.products.map((p, i) => <Text key={p.productId}>  {i === 0 ? (values.products.length > 1 ? 'Products' : 'Product ') : '        '}     {productLabel(p)}</Text>)}
      <Hint>Enter or y to create · Esc or n to go back and edit</Hint>
    </Box>
  );
}

const productLabel = (p: PickedProduct) => `${printable(p.productName || p.productId)} (${printable(p.productId)})`;

/** NCP lets two keys share a name; people rarely mean to. Looks for keys named exactly `name` first. */
function SameNameCheck({ name, onUnique, onDuplicate, onFailed }: {
  name: string; onUnique: () => void; onDuplicate: (existing: ApiKey[]) => void; onFailed: (e: unknown) => void;
}) {
  const wanted = name.trim();
  return (
    <RequestStep label={`Checking for keys named "${wanted}"…`} onFailed={onFailed}
      onDone={(existing: ApiKey[]) => (existing.length === 0 ? onUnique() : onDuplicate(existing))}
      request={async (client, signal) => {
        const same: ApiKey[] = [];
        for await (const k of client.iterateApiKeys({ apiKeyName: wanted }, { signal })) if ((k.apiKeyName ?? '').trim() === wanted) same.push(k);
        return same;
      }} />
  );
}

function ConfirmDuplicate({ name, existing, onYes, onNo }: { name: string; existing: ApiKey[]; onYes: () => void; onNo: () => void }) {
  useKeys((input, key) => {
    if (key.ctrl || key.meta) return;
    if (input === 'y') return onYes();
    if (key.escape || key.return || input === 'n') return onNo();
  });
  return (
    <Box flexDirection="column">
      <Text bold color="yellow">{existing.length === 1 ? 'A key' : `${existing.length} keys`} named "{printable(name.trim())}" already {existing.length === 1 ? 'exists' : 'exist'}:</Text>
      {existing.slice(0, 5).map((k) => <Text key={k.apiKeyId}>  {keyLabel(k)}</Text>)}
      {existing.length > 5 ? <Text dimColor>  … and {existing.length - 5} more</Text> : null}
      <Text>Create another key with the same name?</Text>
      <Hint>y to create it anyway · n, Enter or Esc to choose another name</Hint>
    </Box>
  );
}

function Creating({ values, onCreated, onFailed }: {
  values: CreateValues; onCreated: (k: ApiKey, report?: ProductKeyReport) => void; onFailed: (e: unknown) => void;
}) {
  const input = { apiKeyName: values.name, apiKeyDescription: values.description };
  const products = values.products;
  if (products.length > 0) {
    return (
      <RequestStep label={`Creating "${printable(values.name.trim())}" for ${products.map((p) => printable(p.productName || p.productId)).join(', ')}…`}
        onDone={(r: ProductKeyReport) => onCreated(r.apiKey, r)} onFailed={onFailed}
        request={(client, signal) => client.createKeyWithProducts(input, products.map((p) => p.productId), { signal })} />
    );
  }
  return (
    <RequestStep label={`Creating "${printable(values.name.trim())}"…`} onDone={(k: ApiKey) => onCreated(k)} onFailed={onFailed}
      request={(client, signal) => client.createKey(input, { signal })} />
  );
}

/** Per product: whether the key works now; then the stage URLs, each alone on a line from column 0, unbroken. */
function ProductOutcome({ report }: { report: ProductKeyReport }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      {report.subscriptions.map((p) => {
        const name = `${printable(p.productName ?? p.productId)} (${printable(p.productId)})`;
        if (p.status === 'FAILED') return <Text key={p.productId} color="red">✖ {name}: not subscribed</Text>;
        return <Text key={p.productId} color={p.status === 'ACCEPTED' ? 'green' : 'yellow'}>{p.status === 'ACCEPTED' ? '✔' : '…'} {name}: {productStatusMeaning(p.status)}</Text>;
      })}
      {report.urls.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>Call with the header {API_KEY_HEADER}: &lt;primary or secondary key&gt;</Text>
          {report.urls.map((u) => <Text key={u} wrap="end">{printable(u)}</Text>)}
        </Box>
      ) : null}
      {report.foreignProducts ? <Text dimColor>Another account's product: its publisher documents the URL to call.</Text> : null}
      {report.urlProblem !== undefined ? <Text dimColor>(could not list the stage hosts: {printable(report.urlProblem)})</Text> : null}
      {report.rerun.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red">Not finished. The key exists; run this to complete it:</Text>
          {report.failures.map((f) => <ErrorBox key={f.productId} error={f.error} />)}
          {report.rerun.map((r) => <Text key={r}>{r}</Text>)}
        </Box>
      ) : null}
    </Box>
  );
}

export function CreatedKey({ apiKey, report, onDone }: { apiKey: ApiKey; report?: ProductKeyReport; onDone: () => void }) {
  const copied = useCopy();
  useKeys((input, key) => {
    if (key.ctrl || key.meta) return;
    if (input === 'c' && apiKey.primaryKey) return copied.copy('primary key', apiKey.primaryKey);
    if (input === 's' && apiKey.secondaryKey) return copied.copy('secondary key', apiKey.secondaryKey);
    if (key.return || key.escape || input === 'q') return onDone();
  });
  return (
    <Box flexDirection="column">
      <Text color="green" bold>✔ Created API key "{printable(apiKey.apiKeyName ?? '')}"</Text>
      <KeyValues apiKey={apiKey} show={['PRIMARY', 'SECONDARY']} />
      {report ? <ProductOutcome report={report} /> : null}
      <Box marginTop={1}><Text color="yellow">{STORE_NOTE}</Text></Box>
      {copied.message ? <Text color="green">{copied.message}</Text> : null}
      <Hint>c copy primary key · s copy secondary key · Enter to finish</Hint>
    </Box>
  );
}

export function useCopy(): { message: string | undefined; copy: (what: string, value: string) => void } {
  const { writeRaw } = useWizard();
  const [message, setMessage] = useState<string | undefined>();
  return {
    message,
    copy(what, value) {
      writeRaw(osc52(value));
      setMessage(`Sent the ${what} to the clipboard (OSC 52; some terminals ignore it, the key is shown above).`);
    },
  };
}

function Failed({ error, onRetry, onBack }: { error: unknown; onRetry: () => void; onBack: () => void }) {
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.return || (input === 'r' && !key.ctrl)) return onRetry();
  });
  return (
    <Box flexDirection="column">
      <Text bold>Could not create the key</Text>
      <ErrorBox error={error} />
      <Hint>Enter or r to retry · Esc to go back to the review</Hint>
    </Box>
  );
}
