import { cloneElement, h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { choiceLabel, enumChoices, fieldKind, initialDraft, unwrapNullable, type Draft, type FieldErrors, type JsonSchema } from '../schema-form/model.ts';

interface FieldProps {
  schema: JsonSchema;
  /** Property name (or item index) shown as the label. */
  name: string;
  draft: Draft;
  required: boolean;
  /** Dotted path used for errors and ids. */
  path: string;
  idPrefix: string;
  errors: FieldErrors;
  onChange: (draft: Draft) => void;
}

const idFor = (prefix: string, path: string) => `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '_') || 'root'}`;

function inputTypeFor(schema: JsonSchema): string {
  switch (schema.format) {
    case 'email':
      return 'email';
    case 'uri':
      return 'url';
    case 'date':
      return 'date';
    default:
      return 'text';
  }
}

/** Label, description and error of one field, wired with for/aria-describedby so screen readers announce them. */
function FieldFrame(props: { id: string; label: string; required: boolean; description?: string; error?: string; children: Html }): Html {
  const describedBy = [props.description ? `${props.id}-desc` : '', props.error ? `${props.id}-err` : ''].filter(Boolean).join(' ');
  const control = cloneElement(props.children, { id: props.id, 'aria-invalid': props.error ? 'true' : undefined, 'aria-describedby': describedBy || undefined });
  return h(
    'div',
    { class: `field${props.error ? ' field-invalid' : ''}` },
    h('label', { for: props.id }, props.label, props.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null, props.required ? h('span', { class: 'sr-only' }, ' (required)') : null),
    props.description ? h('p', { class: 'hint', id: `${props.id}-desc` }, props.description) : null,
    control,
    props.error ? h('p', { class: 'error', id: `${props.id}-err` }, props.error) : null,
  );
}

/** One field of a generated form, recursing into objects and arrays. */
export function SchemaField(props: FieldProps): Html {
  const schema = unwrapNullable(props.schema);
  const kind = fieldKind(schema);
  const id = idFor(props.idPrefix, props.path);
  const label = schema.title && schema.title !== props.name ? `${props.name} (${schema.title})` : props.name;
  const error = props.errors[props.path];
  const frame = (control: Html) => h(FieldFrame, { id, label, required: props.required, ...(schema.description ? { description: schema.description } : {}), ...(error ? { error } : {}), children: control });

  switch (kind) {
    case 'object': {
      const record = (props.draft ?? {}) as { [key: string]: Draft };
      const required = new Set(schema.required ?? []);
      return h(
        'fieldset',
        { class: 'field-object' },
        h('legend', null, label, props.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
        schema.description ? h('p', { class: 'hint' }, schema.description) : null,
        Object.entries(schema.properties ?? {}).map(([key, child]) =>
          h(SchemaField, {
            key,
            schema: child,
            name: key,
            draft: record[key],
            required: required.has(key),
            path: props.path ? `${props.path}.${key}` : key,
            idPrefix: props.idPrefix,
            errors: props.errors,
            onChange: (value: Draft) => props.onChange({ ...record, [key]: value }),
          }),
        ),
      );
    }
    case 'array': {
      const items = Array.isArray(props.draft) ? props.draft : [];
      const canAdd = schema.maxItems === undefined || items.length < schema.maxItems;
      return h(
        'fieldset',
        { class: 'field-array' },
        h('legend', null, label, props.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
        schema.description ? h('p', { class: 'hint' }, schema.description) : null,
        items.map((item, index) =>
          h(
            'div',
            { class: 'array-item', key: index },
            h(SchemaField, {
              schema: schema.items!,
              name: `${props.name} ${index + 1}`,
              draft: item,
              required: true,
              path: `${props.path}.${index}`,
              idPrefix: props.idPrefix,
              errors: props.errors,
              onChange: (value: Draft) => props.onChange(items.map((old, i) => (i === index ? value : old))),
            }),
            h('button', { type: 'button', class: 'secondary', onClick: () => props.onChange(items.filter((_, i) => i !== index)) }, `Remove ${props.name} ${index + 1}`),
          ),
        ),
        canAdd ? h('button', { type: 'button', class: 'secondary', onClick: () => props.onChange([...items, initialDraft(schema.items!, true)]) }, `Add ${props.name}`) : null,
        error ? h('p', { class: 'error' }, error) : null,
      );
    }
    case 'boolean':
      if (props.required) {
        return h(
          'div',
          { class: `field field-check${error ? ' field-invalid' : ''}` },
          h('input', { type: 'checkbox', id, checked: props.draft === true, onChange: (e: Event) => props.onChange((e.currentTarget as HTMLInputElement).checked) }),
          h('label', { for: id }, label),
          schema.description ? h('p', { class: 'hint' }, schema.description) : null,
        );
      }
      return frame(
        h(
          'select',
          { value: props.draft === undefined ? '' : String(props.draft), onChange: (e: Event) => {
            const v = (e.currentTarget as HTMLSelectElement).value;
            props.onChange(v === '' ? undefined : v === 'true');
          } },
          h('option', { value: '' }, '(not set)'),
          h('option', { value: 'true' }, 'true'),
          h('option', { value: 'false' }, 'false'),
        ),
      );
    case 'enum':
      return frame(
        h(
          'select',
          { value: String(props.draft ?? ''), onChange: (e: Event) => props.onChange((e.currentTarget as HTMLSelectElement).value) },
          h('option', { value: '' }, props.required ? 'Choose…' : '(not set)'),
          enumChoices(schema).map((choice, i) => h('option', { key: i, value: String(i) }, choiceLabel(choice))),
        ),
      );
    case 'number':
    case 'integer':
      return frame(
        h('input', {
          type: 'text',
          inputMode: kind === 'integer' ? 'numeric' : 'decimal',
          value: String(props.draft ?? ''),
          placeholder: kind === 'integer' ? 'whole number' : 'number',
          onInput: (e: Event) => props.onChange((e.currentTarget as HTMLInputElement).value),
        }),
      );
    case 'string': {
      const long = (schema.maxLength ?? Infinity) > 200 && !schema.format;
      return frame(
        long
          ? h('textarea', { rows: 3, value: String(props.draft ?? ''), onInput: (e: Event) => props.onChange((e.currentTarget as HTMLTextAreaElement).value) })
          : h('input', { type: inputTypeFor(schema), value: String(props.draft ?? ''), onInput: (e: Event) => props.onChange((e.currentTarget as HTMLInputElement).value) }),
      );
    }
    default:
      return frame(
        h('textarea', {
          rows: 4,
          class: 'mono',
          value: String(props.draft ?? ''),
          placeholder: 'JSON',
          onInput: (e: Event) => props.onChange((e.currentTarget as HTMLTextAreaElement).value),
        }),
      );
  }
}
