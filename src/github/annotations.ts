import type { Diagnostic } from '../manifest/types.ts';
import { repoPath } from './manifest-glob.ts';

// Manifest errors as workflow annotations on the manifest lines (`core.error(message, properties)`).

export interface Annotation {
  message: string;
  properties: { title: string; file: string; startLine: number; startColumn: number };
}

export function toAnnotations(diags: readonly Diagnostic[], title = 'astro-access'): Annotation[] {
  return diags.map((d) => ({
    message: d.message,
    properties: { title, file: repoPath(d.file), startLine: d.line, startColumn: d.col },
  }));
}
