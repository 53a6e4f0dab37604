import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildLock, canonicalJson, compareSurfaces, describeDifference, differenceCount, digestProblems, formatLock, LockFormatError, parseLock, sortKeys, toolDigest, type LockSource } from '../src/index.ts';

const APP: LockSource = { kind: 'app', path: 'apps/mcp-example', protocolVersions: ['2025-11-25', '2026-07-28'] };

const echo = {
  name: 'echo',
  title: 'Echo',
  description: 'Returns the text it is given.',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], $schema: 'https://json-schema.org/draft/2020-12/schema' },
  annotations: { readOnlyHint: true, destructiveHint: false },
  icons: [{ src: 'https://example.com/echo.png' }],
  _meta: { shown: 'not locked' },
};
const add = { name: 'add', description: 'Adds a and b.', inputSchema: { type: 'object' } };

describe('canonical JSON', () => {
  it('sorts keys by code units at every depth, keeps array order, drops undefined, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: undefined, B: 2 }, 'x'], é: true, Z: null })).toBe('{"Z":null,"a":[{"B":2,"d":1},"x"],"b":1,"é":true}');
  });
});

describe('a lock', () => {
  const lock = buildLock('mcp-example', APP, [echo, add]);

  it('holds the lock fields of each tool, sorted by name, with the SHA-256 of its canonical definition', () => {
    expect(lock.tools.map((t) => t.name)).toEqual(['add', 'echo']);
    const locked = lock.tools[1]!;
    expect(Object.keys(locked)).toEqual(['name', 'digest', 'title', 'description', 'annotations', 'inputSchema']);
    const { digest, ...definition } = locked;
    expect(digest).toBe(`sha256:${createHash('sha256').update(canonicalJson(definition)).digest('hex')}`);
    expect(JSON.stringify(locked)).not.toContain('icons');
  });

  it('does not depend on key order', () => {
    const reordered = { ...echo, inputSchema: { $schema: echo.inputSchema.$schema, required: ['text'], properties: echo.inputSchema.properties, type: 'object' } };
    expect(buildLock('mcp-example', APP, [add, reordered])).toEqual(lock);
  });

  it('round-trips through its file text, whose digests check out', () => {
    const text = formatLock(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text).$schema).toBe('../generators/schema/tool-lock.schema.json');
    const read = parseLock(text);
    expect(read).toEqual(lock);
    expect(digestProblems(read)).toEqual([]);
  });

  it('catches a definition edited without its digest, a surface digest left stale, and a name listed twice', () => {
    const edited = parseLock(formatLock(lock));
    edited.tools[1]!.description = 'Returns the text it is given, and mails it to a third party.';
    expect(digestProblems(edited)).toEqual([
      { path: ['tools', 1, 'digest'], message: expect.stringMatching(/^tool "echo": the digest does not match its definition \(sha256:[0-9a-f]{64}\): the lock was edited by hand$/) },
    ]);
    edited.tools[1]!.digest = toolDigest(edited.tools[1]!);
    expect(digestProblems(edited)).toEqual([{ path: ['digest'], message: expect.stringMatching(/^the digest does not match the tools' digests \(sha256:[0-9a-f]{64}\)/) }]);
    const twice = { ...lock, tools: [lock.tools[0]!, lock.tools[0]!] };
    expect(digestProblems(twice)[0]).toEqual({ path: ['tools', 1, 'name'], message: 'tool "add" is listed twice' });
  });

  it('refuses text that is not a lock, saying what is missing', () => {
    expect(() => parseLock('{')).toThrow(LockFormatError);
    expect(() => parseLock('[]')).toThrow('not a JSON object');
    expect(() => parseLock('{"server":"x","digest":"d","tools":[{"name":"a"}]}')).toThrow('tools[0] has no string "name" and "digest"');
  });
});

describe('comparing a surface with its lock', () => {
  const lock = buildLock('mcp-example', APP, [echo, add]);

  it('finds nothing when only key order and unlocked fields differ', () => {
    const listed = [{ ...add, _meta: { x: 1 } }, { ...echo, icons: [] }];
    expect(differenceCount(compareSurfaces(lock.tools, listed))).toBe(0);
  });

  it('names added and removed tools, and each changed tool with the fields that changed', () => {
    const listed = [
      { ...echo, description: 'Returns the text.', annotations: { readOnlyHint: false } },
      { name: 'shout', description: 'Upper-cases the text.' },
    ];
    const difference = compareSurfaces(lock.tools, listed);
    expect(difference).toEqual({ added: ['shout'], removed: ['add'], changed: [{ tool: 'echo', fields: ['description', 'annotations'] }] });
    expect(describeDifference(difference)).toEqual([
      'tool "shout": offered by the server but not in the lock',
      'tool "add": in the lock but not offered by the server',
      'tool "echo": description, annotations differ from the lock',
    ]);
  });

  it('treats a field that appears or disappears as changed', () => {
    expect(compareSurfaces(lock.tools, [echo, { ...add, outputSchema: { type: 'object' } }]).changed).toEqual([{ tool: 'add', fields: ['outputSchema'] }]);
    const { title: _title, ...untitled } = echo;
    expect(compareSurfaces(lock.tools, [untitled, add]).changed).toEqual([{ tool: 'echo', fields: ['title'] }]);
  });
});

describe('a short description diff', () => {
  it('keeps a little of the common text around one changed span', async () => {
    const { shortTextDiff } = await import('../src/index.ts');
    expect(shortTextDiff('Returns the text it is given.', 'Returns the text it is given, and mails it to a third party.')).toBe(
      'Returns the text it is given{+, and mails it to a third party+}.',
    );
    expect(shortTextDiff('Lists the deals of a pipeline in HubSpot, newest first.', 'Lists the deals of a pipeline in HubSpot, oldest first.', 10)).toBe(
      '… HubSpot, [-new-]{+old+}est first.',
    );
    expect(shortTextDiff('Deletes a record.', 'Archives a record.')).toBe('[-Delet-]{+Archiv+}es a record.');
  });
});

describe('canonical JSON, written directly', () => {
  it('is JSON.stringify of the key-sorted value, for nested and awkward values', () => {
    const values = [null, true, 0, -0, 1e21, 0.1, 'é"\\\n\u2028', [], {}, [undefined, 1], { z: [{ b: 1, a: { d: null, c: [2, { y: 1, x: 0 }] } }], A: '', a: undefined }];
    for (const value of values) expect(canonicalJson(value)).toBe(JSON.stringify(sortKeys(value)));
  });
});
