import type {
  Condition,
  ProcedureDefinitionInput,
  ProcedureStepInput,
} from '@/lib/procedures/definition';

/** A procedure as /api/admin/procedures lists it. */
export type ProcedureSummary = {
  id: string;
  name: string;
  description: string;
  examples: string[];
  stepCount: number;
  draftVersion: number;
  publishedVersion: number | null;
  publishedAt: string | null;
  draft: 'new' | 'changed' | 'published';
  updatedAt: string;
};

export type ProcedureVersion = {
  version: number;
  description: string;
  examples: string[];
  steps: ProcedureStepInput[];
  current: boolean;
  publishedAt: string | null;
  publishedBy: string | null;
};

/** One procedure as /api/admin/procedures/[id] shows it. */
export type ProcedureDetail = ProcedureSummary & {
  definition: ProcedureDefinitionInput;
  published: ProcedureDefinitionInput | null;
  versions: ProcedureVersion[];
};

/** What the editor holds: a definition as it is being written, not yet valid. */
export type EditedProcedure = {
  name: string;
  description: string;
  examples: string[];
  steps: ProcedureStepInput[];
};

export type StepType = ProcedureStepInput['type'];
export type { Condition, ProcedureStepInput };

/** An action a call step may name, as /api/admin/actions lists it. */
export type ActionChoice = {
  name: string;
  label: string;
  effect: 'read' | 'write';
  enabled: boolean;
  inputs: { name: string; required: boolean; description: string; fromCustomer?: string }[];
};
