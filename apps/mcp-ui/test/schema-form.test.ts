import { describe, expect, it } from 'vitest';
import { buildArguments, draftOf, fieldKind, initialDraft, setAtPath, takesNoArguments, type JsonSchema } from '../src/web/schema-form/model.ts';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2 },
    count: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
    ratio: { type: 'number', exclusiveMaximum: 1 },
    mode: { type: 'string', enum: ['fast', 'slow'] },
    verbose: { type: 'boolean' },
    strict: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
    owner: { type: 'object', properties: { email: { type: 'string', format: 'email' }, age: { type: 'integer' } }, required: ['email'] },
    extra: { type: 'object' },
    maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  },
  required: ['name', 'count', 'mode', 'strict', 'tags', 'owner'],
};

describe('schema form model', () => {
  it('picks an input per schema', () => {
    const kinds = Object.fromEntries(Object.entries(schema.properties!).map(([k, v]) => [k, fieldKind(v)]));
    expect(kinds).toEqual({
      name: 'string',
      count: 'integer',
      ratio: 'number',
      mode: 'enum',
      verbose: 'boolean',
      strict: 'boolean',
      tags: 'array',
      owner: 'object',
      extra: 'json',
      maybe: 'string',
    });
  });

  it('starts from defaults and minimum array lengths', () => {
    expect(initialDraft(schema)).toEqual({
      name: '',
      count: '3',
      ratio: '',
      mode: '',
      verbose: undefined,
      strict: false,
      tags: [''],
      owner: { email: '', age: '' },
      extra: '',
      maybe: '',
    });
  });

  it('reports every problem by path and sends nothing', () => {
    const result = buildArguments(schema, { ...(initialDraft(schema) as object), count: '11', ratio: '1', owner: { email: 'nope', age: '1.5' } });
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'Required',
        count: 'Must be at most 10',
        ratio: 'Must be less than 1',
        mode: 'Required',
        'tags.0': 'Required',
        'owner.email': 'Enter an e-mail address',
        'owner.age': 'Enter a whole number',
      },
    });
  });

  it('converts a valid draft into typed arguments, leaving unset optional fields out', () => {
    let draft = initialDraft(schema);
    draft = setAtPath(draft, ['name'], 'Ada');
    draft = setAtPath(draft, ['mode'], '1');
    draft = setAtPath(draft, ['tags', 0], 'x');
    draft = setAtPath(draft, ['owner', 'email'], 'ada@example.test');
    draft = setAtPath(draft, ['extra'], '{"k": [1, 2]}');
    expect(buildArguments(schema, draft)).toEqual({
      ok: true,
      args: { name: 'Ada', count: 3, mode: 'slow', strict: false, tags: ['x'], owner: { email: 'ada@example.test' }, extra: { k: [1, 2] } },
    });
    // An optional field left at its default is not sent.
    const optional: JsonSchema = { ...schema, required: ['name', 'mode', 'strict', 'tags', 'owner'] };
    expect(buildArguments(optional, draft)).toEqual({
      ok: true,
      args: { name: 'Ada', mode: 'slow', strict: false, tags: ['x'], owner: { email: 'ada@example.test' }, extra: { k: [1, 2] } },
    });
  });

  it('sends no optional field the person did not touch: no empty list, no untouched default, no empty object', () => {
    const search: JsonSchema = {
      type: 'object',
      properties: {
        query: { type: 'string' },
        limit: { type: 'integer', default: 10 },
        filterGroups: { type: 'array', items: { type: 'object', properties: { propertyName: { type: 'string' } } } },
        sorts: { type: 'object', properties: { by: { type: 'string' } } },
      },
      required: ['query'],
    };
    const draft = setAtPath(initialDraft(search), ['query'], 'ada');
    expect(buildArguments(search, draft)).toEqual({ ok: true, args: { query: 'ada' } });
    // Touched fields are sent, a default the person changed included, and a list they emptied again is left out.
    const touched = setAtPath(setAtPath(draft, ['limit'], '25'), ['filterGroups'], [{ propertyName: 'email' }]);
    expect(buildArguments(search, touched)).toEqual({ ok: true, args: { query: 'ada', limit: 25, filterGroups: [{ propertyName: 'email' }] } });
    expect(buildArguments(search, setAtPath(touched, ['filterGroups'], []))).toEqual({ ok: true, args: { query: 'ada', limit: 25 } });
  });

  it('refuses invalid JSON in free-form fields', () => {
    const draft = setAtPath(initialDraft({ type: 'object', properties: { extra: { type: 'object' } } }), ['extra'], '{oops');
    expect(buildArguments({ type: 'object', properties: { extra: { type: 'object' } } }, draft)).toEqual({ ok: false, errors: { extra: 'Enter valid JSON' } });
  });

  it('round-trips arguments through a draft (re-running a call from history)', () => {
    const args = { name: 'Ada', count: 4, mode: 'fast', strict: true, tags: ['a', 'b'], owner: { email: 'a@b.c', age: 36 } };
    expect(buildArguments(schema, draftOf(schema, args))).toEqual({ ok: true, args });
  });

  it('accepts tools without arguments', () => {
    expect(buildArguments({ type: 'object' }, initialDraft({ type: 'object' }))).toEqual({ ok: true, args: {} });
    expect(buildArguments(undefined, '')).toEqual({ ok: true, args: {} });
  });

  it('tells a tool without arguments (shown as such) from one that takes a free-form map', () => {
    expect(takesNoArguments({ type: 'object', properties: {} })).toBe(true);
    expect(takesNoArguments(undefined)).toBe(true);
    expect(takesNoArguments({ type: 'object', additionalProperties: { type: 'string' } })).toBe(false);
    expect(takesNoArguments({ type: 'object', additionalProperties: true })).toBe(false);
    expect(takesNoArguments(schema)).toBe(false);
  });
});
