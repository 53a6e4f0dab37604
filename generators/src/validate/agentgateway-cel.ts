/**
 * agentgateway v1.4.1's CEL, as far as this repository writes it: the variables each place of evaluation
 * provides (v1.4.1 `schema/cel.md`), the functions (`schema/cel-functions.md`: the standard ones, the strings
 * extension, `json`, `toJson`), evaluation with @bufbuild/cel, and a check of an expression's names: a root
 * variable, a field of `request`, `mcp`, `response` ... or an Entra claim under `jwt` that v1.4.1 would not
 * resolve is a problem, and so is a function the gateway does not have. The generator checks every rendered
 * expression with it; the local gateway and the plan's access diff evaluate with it.
 */
import { CelScalar, celFunc, isCelError, isCelList, isCelMap, parse, plan, celEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** Where an expression runs, which decides the variables it sees. */
export type CelPlace =
  /** a condition on the verified token alone (the registry's `when`) */
  | 'claims'
  /** route policies: `traffic.authorization`, `directResponse`, `transformation` */
  | 'route'
  /** `backend.mcp.authorization`: request-time MCP identity fields (`mcp.tool`, `mcp.prompt`, ...) */
  | 'mcp'
  /** `frontend.accessLog`: everything, the response and the MCP exchange included */
  | 'log';

/** A field whose value has no fields of its own. */
const LEAF = 'leaf';
/** A map with keys of any name (headers, tool arguments, metadata). */
const OPEN = 'open';
type Shape = typeof LEAF | typeof OPEN | { [field: string]: Shape };

/**
 * Claims Microsoft Entra ID puts in access tokens (v1 and v2, optional claims included), plus v1.4.1's
 * redacted `rawToken`. `xms_*` claims are accepted by prefix.
 */
export const ENTRA_CLAIMS = [
  'aud', 'iss', 'idp', 'iat', 'nbf', 'exp', 'aio', 'acr', 'amr', 'acct', 'appid', 'appidacr', 'azp', 'azpacr',
  'auth_time', 'ctry', 'email', 'family_name', 'given_name', 'groups', 'hasgroups', 'idtyp', 'in_corp', 'ipaddr',
  'login_hint', 'name', 'nickname', 'oid', 'onprem_sid', 'preferred_username', 'pwd_exp', 'pwd_url', 'rh', 'roles',
  'scp', 'sid', 'sub', 'tenant_ctry', 'tenant_region_scope', 'tid', 'unique_name', 'upn', 'uti', 'ver',
  'verified_primary_email', 'verified_secondary_email', 'wids', '_claim_names', '_claim_sources', 'rawToken',
] as const;

const jwtShape: Shape = Object.fromEntries(ENTRA_CLAIMS.map((c) => [c, LEAF]));
const requestShape: Shape = {
  method: LEAF, uri: LEAF, host: LEAF, scheme: LEAF, path: LEAF, pathAndQuery: LEAF, version: LEAF,
  headers: OPEN, body: LEAF, bodyPrefix: LEAF, startTime: LEAF, endTime: LEAF,
};
const resourceIdShape: Shape = { target: LEAF, name: LEAF };
const mcpIdentityShape: Shape = { tool: { target: LEAF, name: LEAF, arguments: OPEN }, prompt: resourceIdShape, resource: resourceIdShape, task: resourceIdShape };
const mcpLogShape: Shape = {
  methodName: LEAF, sessionId: LEAF,
  tool: { target: LEAF, name: LEAF, arguments: OPEN, result: OPEN, error: OPEN },
  prompt: resourceIdShape, resource: resourceIdShape, task: resourceIdShape,
};
const sourceShape: Shape = {
  address: LEAF, port: LEAF, rawAddress: LEAF, rawPort: LEAF, identity: { trustDomain: LEAF, namespace: LEAF, serviceAccount: LEAF },
  subjectAltNames: LEAF, issuer: LEAF, subject: LEAF, subjectCn: LEAF, certificate: LEAF,
  unverifiedWorkload: { name: LEAF, namespace: LEAF, serviceAccount: LEAF }, connectHeaders: OPEN,
};
const common: Record<string, Shape> = { request: requestShape, jwt: jwtShape, source: sourceShape, env: { podName: LEAF, namespace: LEAF, gateway: LEAF }, metadata: OPEN };

const VARIABLES: Record<CelPlace, Record<string, Shape>> = {
  claims: { jwt: jwtShape },
  route: common,
  mcp: { ...common, mcp: mcpIdentityShape },
  log: {
    ...common,
    mcp: mcpLogShape,
    response: { code: LEAF, grpcStatus: LEAF, headers: OPEN, body: LEAF, bodyPrefix: LEAF },
    proxy: {
      bind: LEAF, gateway: { namespace: LEAF, name: LEAF }, listener: { name: LEAF },
      route: { namespace: LEAF, name: LEAF, kind: LEAF, rule: LEAF },
      requestProcessingDuration: LEAF, upstreamDuration: LEAF, responseProcessingDuration: LEAF,
    },
    backend: { name: LEAF, type: LEAF, protocol: LEAF },
    destination: { address: LEAF, port: LEAF },
  },
};

/** Functions both v1.4.1 and this evaluator have (macros such as `has`, `exists`, `all`, `map` are not calls). */
const FUNCTIONS = new Set([
  'size', 'contains', 'startsWith', 'endsWith', 'matches', 'int', 'uint', 'double', 'string', 'bytes', 'bool', 'type', 'duration', 'timestamp',
  'charAt', 'indexOf', 'join', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'trim', 'replace', 'split', 'substring',
  'json', 'toJson',
]);

/** JSON text → a CEL value: integers stay integers (as v1.4.1's `json` keeps serde_json's i64), the rest as JSON gives them. */
function fromJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  return value;
}

/** A CEL value → plain JSON-able data (what v1.4.1 serializes a map or list body or log field into). */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (isCelMap(value as never)) return Object.fromEntries([...(value as Map<unknown, unknown>).entries()].map(([k, v]) => [String(k), toPlain(v)]));
  if (isCelList(value as never)) return [...(value as Iterable<unknown>)].map(toPlain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object' && 'value' in (value as object) && typeof (value as { value: unknown }).value === 'bigint') return Number((value as { value: bigint }).value);
  return value;
}

const jsonFunc = celFunc('json', [CelScalar.STRING], CelScalar.DYN, (text) => fromJson(JSON.parse(text)) as never);
const toJsonFunc = celFunc('toJson', [CelScalar.DYN], CelScalar.STRING, (value) => JSON.stringify(toPlain(value)));
const env = celEnv({ funcs: [...strings, jsonFunc, toJsonFunc] });

type Planned = ReturnType<typeof plan>;
const planned = new Map<string, Planned | Error>();

function compile(expression: string): Planned | Error {
  let run = planned.get(expression);
  if (!run) {
    try {
      run = plan(env, parse(expression));
    } catch (error) {
      run = error instanceof Error ? error : new Error(String(error));
    }
    planned.set(expression, run);
  }
  return run;
}

/** The result of an evaluation: a value, or the reason it failed (v1.4.1 treats a failed rule as not matching). */
export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** Evaluates `expression` over `variables` (plain objects; JSON numbers may be numbers or bigints). */
export function evaluateCel(expression: string, variables: Record<string, unknown>): CelOutcome {
  const run = compile(expression);
  if (run instanceof Error) return { ok: false, error: `does not parse: ${run.message}` };
  try {
    const value = run(variables as never);
    return isCelError(value) ? { ok: false, error: value.message } : { ok: true, value };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** `true` only when the expression evaluates to true (a failure counts as false, as in v1.4.1's `eval_bool`). */
export function celTrue(expression: string, variables: Record<string, unknown>): boolean {
  const outcome = evaluateCel(expression, variables);
  return outcome.ok && outcome.value === true;
}

/** One policy's `authorization`: its expressions under its action (a v1.4.1 RuleSet). */
export interface AuthorizationRules {
  action: 'Allow' | 'Deny' | 'Require';
  expressions: string[];
}

/**
 * v1.4.1's decision over the rule sets of every policy that applies (`http/authorization.rs`
 * `RuleSets::validate`): no rules, allowed; any Deny rule that holds, denied; any Require rule that fails, denied;
 * any Allow rule that holds, allowed; otherwise allowed only when there are no Allow rules. A rule that fails to
 * evaluate does not hold.
 */
export function rulesAllow(ruleSets: readonly AuthorizationRules[] | undefined, variables: Record<string, unknown>): boolean {
  const sets = (ruleSets ?? []).filter((s) => s.expressions.length > 0);
  if (sets.length === 0) return true;
  const of = (action: AuthorizationRules['action']) => sets.filter((s) => s.action === action);
  if (of('Deny').some((s) => s.expressions.some((e) => celTrue(e, variables)))) return false;
  if (of('Require').some((s) => !s.expressions.every((e) => celTrue(e, variables)))) return false;
  const allow = of('Allow');
  if (allow.some((s) => s.expressions.some((e) => celTrue(e, variables)))) return true;
  return allow.length === 0;
}

// ---- the name check -------------------------------------------------------------------------------------

type Expr = { exprKind: { case: string | undefined; value: any } };

/** The dotted path of a select chain on a variable (`jwt.roles` → ['jwt', 'roles']), or undefined. */
function selectPath(expr: Expr): string[] | undefined {
  const { case: kind, value } = expr.exprKind;
  if (kind === 'identExpr') return [value.name];
  if (kind === 'selectExpr') {
    const operand = selectPath(value.operand);
    return operand ? [...operand, value.field] : undefined;
  }
  return undefined;
}

/** The name within two edits of `name`, if there is one (a typo's likely meaning). */
function closest(name: string, names: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  return names.map((n) => ({ n, d: distance(name, n) })).filter((c) => c.d <= 2).sort((x, y) => x.d - y.d)[0]?.n;
}

function describeShape(shape: Shape): string {
  return typeof shape === 'object' ? Object.keys(shape).join(', ') : '';
}

/** Checks a variable path against the place's variables; `index` is a constant key read with `[...]`. */
function pathProblem(path: string[], place: CelPlace, bound: Set<string>): string | undefined {
  const [root, ...fields] = path;
  if (bound.has(root!)) return undefined;
  let shape: Shape | undefined = VARIABLES[place][root!];
  if (!shape) {
    const hint = closest(root!, Object.keys(VARIABLES[place]));
    return `unknown variable "${root}" (here v1.4.1 provides ${Object.keys(VARIABLES[place]).join(', ')})${hint ? `; did you mean "${hint}"?` : ''}`;
  }
  let walked = root!;
  for (const field of fields) {
    if (shape === OPEN) return undefined;
    if (shape === LEAF) return `${walked} has no field "${field}"`;
    const next: Shape | undefined = shape[field];
    if (!next) {
      if (root === 'jwt' && walked === 'jwt' && field.startsWith('xms_')) return undefined;
      const hint = closest(field, Object.keys(shape));
      const also = hint ? `; did you mean "${hint}"?` : '';
      return root === 'jwt' && walked === 'jwt'
        ? `unknown claim "${field}": Entra access tokens carry no such claim${also}`
        : `${walked} has no field "${field}" (it has ${describeShape(shape)})${also}`;
    }
    shape = next;
    walked = `${walked}.${field}`;
  }
  return undefined;
}

function walk(expr: Expr, place: CelPlace, bound: Set<string>, out: string[]): void {
  const { case: kind, value } = expr.exprKind;
  switch (kind) {
    case 'identExpr':
    case 'selectExpr': {
      const path = selectPath(expr);
      if (path) {
        const problem = pathProblem(path, place, bound);
        if (problem) out.push(problem);
      } else if (kind === 'selectExpr') walk(value.operand, place, bound, out);
      return;
    }
    case 'callExpr': {
      const name: string = value.function;
      const operator = /^[_@!]/.test(name) || name.includes('_');
      if (!operator && !FUNCTIONS.has(name)) out.push(`unknown function "${name}" (the checker knows ${[...FUNCTIONS].join(', ')} and the operators)`);
      // `x["key"]` with a constant key is a field read: check it like `x.key`.
      if (name === '_[_]') {
        const [target, key] = value.args as Expr[];
        const path = selectPath(target!);
        if (path && key!.exprKind.case === 'constExpr' && key!.exprKind.value.constantKind.case === 'stringValue') {
          const problem = pathProblem([...path, key!.exprKind.value.constantKind.value], place, bound);
          if (problem) out.push(problem);
          return;
        }
      }
      if (value.target) walk(value.target, place, bound, out);
      for (const arg of value.args as Expr[]) walk(arg, place, bound, out);
      return;
    }
    case 'listExpr':
      for (const element of value.elements as Expr[]) walk(element, place, bound, out);
      return;
    case 'structExpr':
      for (const entry of value.entries as { keyKind: { case: string; value: Expr }; value: Expr }[]) {
        if (entry.keyKind.case === 'mapKey') walk(entry.keyKind.value, place, bound, out);
        walk(entry.value, place, bound, out);
      }
      return;
    case 'comprehensionExpr': {
      walk(value.iterRange, place, bound, out);
      walk(value.accuInit, place, bound, out);
      const inner = new Set([...bound, value.iterVar, value.accuVar, ...(value.iterVar2 ? [value.iterVar2] : [])]);
      for (const part of [value.loopCondition, value.loopStep, value.result]) walk(part, place, inner, out);
      return;
    }
    default:
      return;
  }
}

/**
 * Problems with the names in `expression` for `place`: a syntax error, an unknown variable, field, claim or
 * function. Empty when every name resolves.
 */
export function celNameProblems(expression: string, place: CelPlace): string[] {
  let parsed: { expr?: Expr };
  try {
    parsed = parse(expression) as unknown as { expr?: Expr };
  } catch (error) {
    return [`does not parse: ${(error as Error).message.split('\n')[0]}`];
  }
  const out: string[] = [];
  if (parsed.expr) walk(parsed.expr, place, new Set(), out);
  return [...new Set(out)];
}

// ---- the type check: evaluation over sample requests ------------------------------------------------------

/** What an expression must produce: a total boolean (rules, conditions), a string (header values), or any value. */
export type CelExpectation = 'condition' | 'header' | 'value';

const NOW = 1_800_000_000;
const tokenBase = { iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', aud: 'api', tid: '00000000-0000-0000-0000-000000000000', ver: '2.0', iat: NOW, nbf: NOW, exp: NOW + 3600, uti: 'u', rh: 'r', aio: 'a' };
/** Tokens of every shape Entra issues to callers of the API: people with and without roles or groups, applications. */
const SAMPLE_TOKENS: Record<string, Record<string, unknown>> = {
  'a person with roles and groups': { ...tokenBase, oid: '11111111-1111-1111-1111-111111111111', sub: 's1', name: 'Sample Person', preferred_username: 'person@example.com', azp: 'client', azpacr: '0', scp: 'mcp.access', roles: ['Sample.Role'], groups: ['22222222-2222-2222-2222-222222222222'] },
  'a person with no role': { ...tokenBase, oid: '33333333-3333-3333-3333-333333333333', sub: 's2', name: 'Other Person', preferred_username: 'other@example.com', azp: 'client', azpacr: '0', scp: 'mcp.access' },
  'an application with a role': { ...tokenBase, oid: '44444444-4444-4444-4444-444444444444', sub: '44444444-4444-4444-4444-444444444444', azp: 'app', azpacr: '1', idtyp: 'app', roles: ['Sample.Role'] },
  'an application with no role': { ...tokenBase, oid: '55555555-5555-5555-5555-555555555555', sub: '55555555-5555-5555-5555-555555555555', azp: 'app2', azpacr: '1', idtyp: 'app' },
  // Version 1 tokens name the client `appid` (v2: `azp`) and the person `upn`/`unique_name`.
  'a person with a v1 token': { ...tokenBase, ver: '1.0', iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/', oid: '66666666-6666-6666-6666-666666666666', sub: 's6', name: 'V1 Person', upn: 'v1@example.com', unique_name: 'v1@example.com', appid: 'client', appidacr: '0', scp: 'mcp.access', roles: ['Sample.Role'] },
  'an application with a v1 token': { ...tokenBase, ver: '1.0', iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/', oid: '77777777-7777-7777-7777-777777777777', sub: '77777777-7777-7777-7777-777777777777', appid: 'app3', appidacr: '1', idtyp: 'app', roles: ['Sample.Role'] },
};
const SAMPLE_REQUEST = {
  method: 'POST', scheme: 'http', host: 'mcp.example.com', path: '/mcp/sample', pathAndQuery: '/mcp/sample', uri: 'http://mcp.example.com/mcp/sample', version: 'HTTP/1.1',
  headers: { host: 'mcp.example.com', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-forwarded-proto': 'https' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'sample_tool', arguments: {} } }),
};
const SAMPLE_MCP: Record<CelPlace, Record<string, unknown>[]> = {
  claims: [{}],
  route: [{}],
  mcp: [{ mcp: { tool: { target: 'sample', name: 'sample_tool', arguments: {} } } }, { mcp: { prompt: { target: 'sample', name: 'sample_prompt' } } }, { mcp: { resource: { target: 'sample', name: 'test://sample' } } }],
  log: [{ mcp: { methodName: 'tools/call', tool: { target: 'sample', name: 'sample_tool' } }, response: { code: 200n, headers: {} }, proxy: { route: { name: 'sample', namespace: 'ns', kind: 'HTTPRoute' }, gateway: { name: 'gw', namespace: 'ns' } }, backend: { name: 'sample-backend', type: 'mcp', protocol: 'mcp' } }],
};

/** The variable sets an expression of `place` is tried on: every sample token with every MCP shape of the place. */
export function sampleVariables(place: CelPlace): { what: string; variables: Record<string, unknown> }[] {
  return Object.entries(SAMPLE_TOKENS).flatMap(([what, jwt]) =>
    SAMPLE_MCP[place].map((extra) => ({ what, variables: place === 'claims' ? { jwt } : { request: SAMPLE_REQUEST, jwt, source: { address: '10.0.0.1', port: 40000n }, ...extra } })),
  );
}

/**
 * Problems with an expression of `place`: its names (celNameProblems), then its results on the sample requests.
 * A condition must evaluate to a boolean on every sample (v1.4.1 counts a failed rule as not matching, which
 * silently closes an Allow rule and opens a Deny one); a header value to a string on every sample; any other
 * value on at least one.
 */
export function celProblems(expression: string, place: CelPlace, expect: CelExpectation): string[] {
  // Most servers share their rules' text (the same roles, the same header): check each text once.
  const key = `${place}|${expect}|${expression}`;
  let problems = checked.get(key);
  if (!problems) checked.set(key, (problems = checkExpression(expression, place, expect)));
  return problems;
}

const checked = new Map<string, string[]>();

function checkExpression(expression: string, place: CelPlace, expect: CelExpectation): string[] {
  const names = celNameProblems(expression, place);
  if (names.length > 0) return names;
  const outcomes = sampleVariables(place).map((s) => ({ what: s.what, outcome: evaluateCel(expression, s.variables) }));
  if (expect === 'value') {
    const failed = outcomes.find((o) => !o.outcome.ok);
    return outcomes.some((o) => o.outcome.ok) || !failed ? [] : [`fails to evaluate (${(failed.outcome as { error: string }).error})`];
  }
  const wanted = expect === 'condition' ? 'boolean' : 'string';
  for (const { what, outcome } of outcomes) {
    if (!outcome.ok) return [`fails to evaluate for ${what} (${outcome.error}); guard what may be missing with has()`];
    if (typeof outcome.value !== wanted) return [`is not a ${wanted} for ${what}`];
  }
  return [];
}
