/** Public API of the generators, for the overlays/Argo CD helper, the dev harness and contract tests. */
export type { AppRole, Auth, Grant, Problem, Registry, Resources, SecretMount, Server, TokenRefresh, Ui } from './registry/types.ts';
export { parseRegistry, loadRegistry, formatProblem, type ParseResult } from './registry/parse.ts';
export { renderObjects, renderPlaced, renderUnits } from './render/index.ts';
export { SHARED_UNIT, serverUnit } from './render/placed.ts';
export { renderServerApplicationParams, type ServerApplicationParams } from './render/argocd-params.ts';
export type { KubeObject } from './render/meta.ts';
export { objectRef } from './render/meta.ts';
export { renderFiles, toYaml, GENERATED_NOTICE, generatedNotice, yamlHeader, BASE_DIR, MANIFEST_PATH, ARCHITECTURE_DOC_PATH, APPLICATION_PARAMS_FILE, type GeneratedFile } from './emit.ts';
export { entraIssuer, jwksPath, MCP_ROUTE_SELECTOR } from './render/auth-policy.ts';
export { FIXED, serverNames, serviceHost, RESTARTED_AT_POINTER } from './names.ts';
export { validateObjects, validateObjectsWithStats } from './validate/schemas.ts';
export { crossCheckObjects } from './validate/cross-check.ts';
export { checkPolicyCel } from './validate/policy-cel.ts';
export { celProblems, evaluateCel, rulesAllow, type CelPlace } from './validate/agentgateway-cel.ts';
export { kustomizeBuild, kustomizeCommand } from './validate/kustomize.ts';
export { crdKinds, crdDir, AGENTGATEWAY_CRDS_VERSION } from './validate/crd.ts';
export { evaluateCelRules, collectRules, celRuleReport, type CelStats, type CelRuleReport } from './validate/cel.ts';
