import { describe, expect, it } from 'vitest';
import { buildViewStateValues } from '../src/index.ts';

const opt = (value: string) => ({ text: { type: 'plain_text', text: value.toUpperCase() }, value });
const input = (block_id: string, element: Record<string, unknown>) => ({ type: 'input', block_id, label: { type: 'plain_text', text: block_id }, element });
const view = {
  type: 'modal',
  blocks: [
    { type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: 'hi' } },
    input('name', { type: 'plain_text_input', action_id: 'value', initial_value: 'prefilled' }),
    input('description', { type: 'plain_text_input', action_id: 'value' }),
    input('env', { type: 'static_select', action_id: 'pick', options: [opt('prod'), opt('dev')] }),
    input('scopes', { type: 'checkboxes', action_id: 'value', options: [opt('read'), opt('write')] }),
    input('owner', { type: 'users_select', action_id: 'value' }),
    input('when', { type: 'datepicker', action_id: 'value' }),
  ],
};

describe('buildViewStateValues', () => {
  it('fills each input by block_id and action_id the way Slack sends them', () => {
    expect(buildViewStateValues(view, { description: 'for invoices', env: 'dev', scopes: ['write'], owner: 'U0BOB', when: '2026-12-01' })).toEqual({
      name: { value: { type: 'plain_text_input', value: 'prefilled' } },
      description: { value: { type: 'plain_text_input', value: 'for invoices' } },
      env: { pick: { type: 'static_select', selected_option: opt('dev') } },
      scopes: { value: { type: 'checkboxes', selected_options: [opt('write')] } },
      owner: { value: { type: 'users_select', selected_user: 'U0BOB' } },
      when: { value: { type: 'datepicker', selected_date: '2026-12-01' } },
    });
  });

  it('untouched inputs are null (or their initial value); null clears a prefilled one', () => {
    const v = buildViewStateValues(view, { name: null });
    expect(v['name']).toEqual({ value: { type: 'plain_text_input', value: null } });
    expect(v['description']).toEqual({ value: { type: 'plain_text_input', value: null } });
    expect(v['env']).toEqual({ pick: { type: 'static_select', selected_option: null } });
    expect(v['scopes']).toEqual({ value: { type: 'checkboxes', selected_options: [] } });
  });

  it('refuses values the user could not have entered', () => {
    expect(() => buildViewStateValues(view, { intro: 'x' })).toThrow(/no input block with block_id "intro"/);
    expect(() => buildViewStateValues(view, { env: 'staging' })).toThrow(/block "env" has no option with value "staging"/);
    expect(() => buildViewStateValues(view, { scopes: 'read' })).toThrow(/takes an array/);
    expect(() => buildViewStateValues(view, { name: ['a'] })).toThrow(/takes a string/);
  });
});
