import { jsonSchema, type Tool, type ToolSet, tool } from 'ai';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { type ActionOutput, actionTool } from '@/lib/actions/as-tool';
import { actionDepsOf } from '@/lib/actions/calls';
import { type ActionInput, inputSchemaOf, modelInputs } from '@/lib/actions/definition';
import { actionsVersion, listEnabledActions, type StoredAction } from '@/lib/actions/queries';
import { askForInput, offlineActionOptions } from '@/lib/ai/offline/action-intents';
import type { ToolContext, ToolError } from '@/lib/ai/tools';
import type { AppContext } from '@/lib/context';
import type { TurnEventSink } from './turn-events';

/*
 * The admin's enabled actions as tools of a turn, beside the built-in ones. Whatever the model
 * asks, the runtime decides: a verified-only action refuses anyone else before anything happens;
 * a call missing a required input asks the customer for it instead of running; a write only
 * records the call and ends in the customer's confirmation; and one action per turn, so nothing
 * an action answered can make another one run.
 */

type Cached = { version: string; actions: StoredAction[] };
// On globalThis because Next bundles route handlers separately: one copy per process and database.
const holder = globalThis as typeof globalThis & {
  __tandemActionsCache?: WeakMap<Database, Cached>;
};
holder.__tandemActionsCache ??= new WeakMap();
const cache = holder.__tandemActionsCache;

/**
 * The actions the bot may use now, read once per process and again only when any action changed
 * (on any instance: the version is read from the database each time, in one small query).
 */
export async function enabledActions(db: Database): Promise<StoredAction[]> {
  const version = await actionsVersion(db);
  const hit = cache.get(db);
  if (hit?.version === version) return hit.actions;
  const actions = await listEnabledActions(db);
  cache.set(db, { version, actions });
  return actions;
}

/** What a call lacking a required input answers: the one question to ask the customer next. */
export type NeedsInput = { status: 'needs_input'; missing: string[]; question: string };

const ONE_ACTION_PER_TURN =
  'Only one request can be made at a time. Tell the customer what was done and let them ask for the next thing.';

/**
 * The model sees every required input as required; the runtime accepts a call without some of
 * them, so that it can ask the customer rather than fail.
 */
function lenientInputSchema(action: StoredAction) {
  const strict = inputSchemaOf(action);
  const partial = strict.partial();
  const { $schema: _, ...shape } = z.toJSONSchema(strict, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return jsonSchema<Record<string, unknown>>(shape, {
    validate: (value) => {
      const parsed = partial.safeParse(value);
      return parsed.success
        ? { success: true, value: parsed.data as Record<string, unknown> }
        : { success: false, error: parsed.error };
    },
  });
}

interface PreparedAction {
  inputSchema: ReturnType<typeof lenientInputSchema>;
  providerOptions: ReturnType<typeof offlineActionOptions>;
  required: ActionInput[];
}

/*
 * What a tool needs of its action alone, built once per stored action. `enabledActions` hands out
 * the same objects until the actions' version changes, so a changed action is a new key here and
 * the old entry goes with the old list.
 */
const prepared = new WeakMap<StoredAction, PreparedAction>();

function prepareAction(action: StoredAction): PreparedAction {
  let hit = prepared.get(action);
  if (!hit) {
    hit = {
      inputSchema: lenientInputSchema(action),
      providerOptions: offlineActionOptions(action),
      required: modelInputs(action).filter((input) => input.required),
    };
    prepared.set(action, hit);
  }
  return hit;
}

/** This turn's action tools, by name; names the built-in tools use stay theirs. */
export function actionToolsFor(
  ctx: Pick<AppContext, 'database' | 'cache' | 'secret' | 'config'>,
  toolContext: ToolContext,
  actions: readonly StoredAction[],
  emit: TurnEventSink,
  reserved: ReadonlySet<string>,
): ToolSet {
  const deps = actionDepsOf(ctx);
  const turn = { acted: false };
  const tools: ToolSet = {};
  for (const action of actions) {
    if (reserved.has(action.name)) continue;
    const customerTool = actionTool(action, deps);
    const inner = customerTool.tool(toolContext);
    const { access } = customerTool;
    const { inputSchema, providerOptions, required } = prepareAction(action);
    tools[action.name] = tool({
      description: action.description,
      inputSchema,
      providerOptions,
      execute: async (input, options): Promise<ActionOutput | ToolError | NeedsInput> => {
        // Who may ask comes first: a visitor who is not signed in is told so, and nothing more.
        if (access.customers === 'verified' && !toolContext.verified) {
          return { error: access.unverifiedReply };
        }
        const missing = required.filter((spec) => input[spec.name] === undefined);
        if (missing.length > 0) {
          return {
            status: 'needs_input',
            missing: missing.map((spec) => spec.name),
            question: askForInput(action, missing[0]!),
          };
        }
        // Checked and set before anything is awaited: calls made in parallel see it too.
        if (turn.acted) return { error: ONE_ACTION_PER_TURN };
        turn.acted = true;
        const output = (await inner.execute!(input, options)) as ActionOutput | ToolError;
        if ('status' in output && output.status === 'awaiting_confirmation') {
          emit({
            type: 'confirmation',
            callId: output.callId,
            action: action.name,
            summary: output.summary,
          });
        }
        return output;
      },
    }) as Tool;
  }
  return tools;
}
