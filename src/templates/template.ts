import type { Rendered } from './model';
import type { ValueSpec } from './values';
import type { Values } from './common';

// A template: its values (with defaults), example value sets (tested and documented), and the builder.
export interface TemplateDef {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly values: readonly ValueSpec[];
  readonly examples: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly build: (v: Values) => Rendered;
}
