/** Types for import-boundaries.mjs, for its unit test. */
import type { Rule } from 'eslint';

export interface Boundary {
  from: string;
  except?: string[];
  onlyInSubfolders?: boolean;
  to: string[];
  why: string;
}

export const BOUNDARIES: Boundary[];

export function boundaryViolation(importer: string, target: string, boundaries?: Boundary[]): string | null;

export const importBoundaries: Rule.RuleModule;
