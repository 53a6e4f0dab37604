/** Shared object shape, labels and metadata of every rendered object. */
import { FIXED } from '../names.ts';

/**
 * A Kubernetes object as plain JSON: rendered here, built by Kustomize, or stored by a stand-in of the API server
 * (which sets `resourceVersion`). The one declaration of the type; the others import it.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** What a set of objects is, for the `app.kubernetes.io/*` labels. */
export interface Identity {
  name: string;
  component: string;
  /** The image, whose tag becomes `app.kubernetes.io/version` when it is a valid label value. */
  image?: string;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The tag of an image reference (`repo:tag`, not a digest), when it is a valid label value. */
export function imageVersion(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return undefined;
  const tag = image.slice(colon + 1);
  return tag.length <= 63 && LABEL_VALUE.test(tag) ? tag : undefined;
}

/** The immutable selector labels of a workload (no version: selectors must not change between releases). */
export function selectorLabels(id: Identity): Record<string, string> {
  return { 'app.kubernetes.io/name': id.name, 'app.kubernetes.io/component': id.component };
}

/** Recommended labels. `app.kubernetes.io/instance` is left out on purpose: Argo CD 2.x tracks objects with it. */
export function labels(id: Identity): Record<string, string> {
  const version = id.image ? imageVersion(id.image) : undefined;
  return {
    ...selectorLabels(id),
    'app.kubernetes.io/part-of': FIXED.partOf,
    ...(version ? { 'app.kubernetes.io/version': version } : {}),
    'app.kubernetes.io/managed-by': FIXED.managedBy,
  };
}

/** `metadata` with name, namespace and labels, in that order. */
export function metadata(name: string, namespace: string, id: Identity): KubeObject['metadata'] {
  return { name, namespace, labels: labels(id) };
}

/** `Kind namespace/name`, how problems name an object. */
export function objectRef(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = object.metadata?.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name ?? '(unnamed)'}`;
}
