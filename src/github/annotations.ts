import type { Diagnostic } from '../manifest/types.ts';

// Manifest errors as workflow annotations on the manifest lines (`core.error(message, properties)`).

export interface Annotation {
  message: string;
  properties: { title: string; file: string; startLine: number; startColumn: number };
}

export function toAnnotations(diags: readonly Diagnostic[], title = 'astro-access'): Annotation[] {
  return diags.map((d) => ({
    message: d.message,
    properties: { title, file: d.file.replace(/\\/g, '/').replace(/^(\.\/)+/, ''), startLine: d.line, startColumn: d.col },
  }));
}
