'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { AddDocuments } from '@/components/admin/knowledge/add-documents';
import { TryQuestion } from '@/components/admin/knowledge/try-question';
import { BusinessHoursForm } from '@/components/admin/settings/business-hours-form';
import { EmbedSnippets } from '@/components/admin/settings/embed-snippets';
import type { Branding, Language, SetupStep } from '@/lib/settings/desk-setup';
import type { BusinessHours, WidgetSettings } from '@/lib/settings/schema';
import { adminRequest } from '../api';
import {
  buttonClass,
  inputClass,
  secondaryButtonClass,
  sectionClass,
  useAction,
} from '../use-action';
import { ArticleTests } from './article-tests';
import { HelpCenterImport } from './help-center-import';

const STEP_TITLES: Record<SetupStep, string> = {
  business: 'Your business',
  hours: 'Business hours',
  'help-center': 'Help center',
  team: 'Your team',
  embed: 'Put the chat on your site',
  tests: 'Test the answers',
};

export interface SetupWizardProps {
  steps: readonly SetupStep[];
  visited: SetupStep[];
  completed: boolean;
  widget: WidgetSettings;
  branding: Branding;
  languages: Record<Language, string>;
  businessHours: BusinessHours;
  snippets: { script: string; iframe: string };
  articles: number;
}

/** The first admin's walk through a clean desk; every step can be skipped and come back to. */
export function SetupWizard(props: SetupWizardProps) {
  const router = useRouter();
  const [index, setIndex] = useState(0);
  const [visited, setVisited] = useState(new Set(props.visited));
  const step = props.steps[index]!;
  const finish = useAction();

  useEffect(() => {
    if (visited.has(step)) return;
    setVisited((seen) => new Set(seen).add(step));
    void adminRequest('/api/admin/setup/progress', 'POST', { visited: step }).catch(() => {});
  }, [step, visited]);

  async function complete() {
    const done = await finish.run(() =>
      adminRequest('/api/admin/setup/progress', 'POST', { complete: true }),
    );
    if (done) {
      router.push('/admin');
      router.refresh();
    }
  }

  const last = index === props.steps.length - 1;
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold">Set up your desk</h1>
        <p className="mt-1 text-sm text-ink-500">
          {props.completed
            ? 'Setup is finished; change anything here again whenever you like.'
            : 'A few steps to make the desk yours. Skip any of them and come back later from Settings.'}
        </p>
      </div>
      <nav aria-label="Setup steps">
        <ol className="flex flex-wrap gap-2 text-sm">
          {props.steps.map((s, i) => (
            <li key={s}>
              <button
                type="button"
                onClick={() => setIndex(i)}
                aria-current={i === index ? 'step' : undefined}
                className={`rounded-full border px-3 py-1 ${
                  i === index
                    ? 'border-brand-600 bg-brand-600 text-white'
                    : 'border-gray-300 bg-white text-ink-700'
                }`}
              >
                {i + 1}. {STEP_TITLES[s]}
                {visited.has(s) && i !== index ? ' ✓' : ''}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section aria-labelledby="step-heading" className="space-y-4">
        <h2 id="step-heading" className="text-lg font-medium">
          {STEP_TITLES[step]}
        </h2>
        <StepBody step={step} {...props} />
      </section>
      {finish.outcome}
      <div className="flex flex-wrap gap-2 border-t border-gray-200 pt-4">
        <button
          type="button"
          disabled={index === 0}
          onClick={() => setIndex(index - 1)}
          className={secondaryButtonClass}
        >
          Back
        </button>
        {last ? (
          <button type="button" onClick={complete} disabled={finish.busy} className={buttonClass}>
            Finish setup
          </button>
        ) : (
          <button type="button" onClick={() => setIndex(index + 1)} className={buttonClass}>
            Next
          </button>
        )}
        {!last && (
          <button
            type="button"
            onClick={complete}
            className="ml-auto text-sm text-ink-500 underline"
          >
            Skip the rest and finish
          </button>
        )}
      </div>
    </div>
  );
}

function StepBody({ step, ...props }: SetupWizardProps & { step: SetupStep }): ReactNode {
  switch (step) {
    case 'business':
      return (
        <BusinessStep widget={props.widget} branding={props.branding} languages={props.languages} />
      );
    case 'hours':
      return <BusinessHoursForm initial={props.businessHours} />;
    case 'help-center':
      return <HelpCenterStep articles={props.articles} />;
    case 'team':
      return <TeamStep />;
    case 'embed':
      return (
        <div className={sectionClass}>
          <EmbedSnippets {...props.snippets} />
          <p className="text-sm text-ink-500">
            A site on another address must also be allowed under{' '}
            <Link href="/admin/settings#origins-heading" className="text-brand-600 underline">
              Settings → Widget origins
            </Link>
            .
          </p>
        </div>
      );
    case 'tests':
      return (
        <div className="space-y-3">
          <ArticleTests articles={props.articles} />
          <p className="text-sm text-ink-500">
            Ask what your customers ask and see the answer the bot gives from your articles. For
            whole conversations with expected answers, add cases and run them under{' '}
            <Link href="/admin/tests" className="text-brand-600 underline">
              Tests
            </Link>
            .
          </p>
          <TryQuestion />
        </div>
      );
  }
}

function BusinessStep({
  widget,
  branding,
  languages,
}: Pick<SetupWizardProps, 'widget' | 'branding' | 'languages'>) {
  const [businessName, setBusinessName] = useState(widget.businessName ?? '');
  const [assistantName, setAssistantName] = useState(widget.name);
  const [colour, setColour] = useState(widget.colour);
  const [logo, setLogo] = useState(branding.logo ?? '');
  const [chosen, setChosen] = useState<Language[]>(branding.languages as Language[]);
  const { run, busy, outcome } = useAction();

  async function save(event: FormEvent) {
    event.preventDefault();
    await run(
      () =>
        adminRequest('/api/admin/setup/business', 'PUT', {
          businessName,
          assistantName,
          colour,
          ...(logo ? { logo } : {}),
          languages: chosen,
        }),
      'Saved. The widget, the greeting and the front page use these names now.',
    );
  }

  function readLogo(file: File | undefined) {
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => setLogo(String(reader.result));
    reader.readAsDataURL(file);
  }

  const toggle = (language: Language, on: boolean) =>
    setChosen((list) => (on ? [...list, language] : list.filter((l) => l !== language)));

  return (
    <form onSubmit={save} aria-label="Your business" className={`${sectionClass} space-y-3`}>
      {outcome}
      <label className="block text-sm">
        Business name
        <input
          value={businessName}
          onChange={(e) => setBusinessName(e.target.value)}
          required
          maxLength={80}
          className={`${inputClass} mt-1 block w-full`}
        />
      </label>
      <label className="block text-sm">
        Assistant name
        <input
          value={assistantName}
          onChange={(e) => setAssistantName(e.target.value)}
          required
          maxLength={60}
          className={`${inputClass} mt-1 block w-full`}
        />
      </label>
      <label className="flex items-center gap-2 text-sm">
        Accent colour
        <input
          type="color"
          value={colour}
          onChange={(e) => setColour(e.target.value)}
          className="h-9 w-12 rounded border border-gray-300"
        />
        <code className="text-xs">{colour}</code>
      </label>
      <div className="space-y-1 text-sm">
        <label className="block">
          Logo address (https)
          <input
            value={logo.startsWith('data:') ? '' : logo}
            onChange={(e) => setLogo(e.target.value.trim())}
            type="url"
            placeholder="https://example.com/logo.png"
            className={`${inputClass} mt-1 block w-full`}
          />
        </label>
        <label className="block">
          or upload an image{' '}
          <input
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            onChange={(e) => readLogo(e.currentTarget.files?.[0])}
            className="text-sm"
          />
        </label>
        {logo && (
          // biome-ignore lint/performance/noImgElement: a preview of the admin's own image
          <img src={logo} alt="Logo preview" className="h-10 w-auto max-w-40 object-contain" />
        )}
      </div>
      <fieldset className="text-sm">
        <legend>Languages the assistant speaks (the first chosen is the main one)</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {(Object.entries(languages) as [Language, string][]).map(([code, label]) => (
            <label key={code} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={chosen.includes(code)}
                onChange={(e) => toggle(code, e.target.checked)}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={busy} className={buttonClass}>
        Save
      </button>
    </form>
  );
}

function HelpCenterStep({ articles }: { articles: number }) {
  const [added, setAdded] = useState(0);
  const router = useRouter();
  const refresh = () => {
    setAdded((n) => n + 1);
    router.refresh();
  };
  return (
    <div className="space-y-3">
      <p className="text-sm text-ink-500">
        {articles === 0 && added === 0
          ? 'The knowledge base is empty: the assistant answers only from what you add here.'
          : `The knowledge base has ${articles} article${articles === 1 ? '' : 's'}. Manage them under `}
        {(articles > 0 || added > 0) && (
          <Link href="/admin/knowledge" className="text-brand-600 underline">
            Knowledge base
          </Link>
        )}
      </p>
      <HelpCenterImport onImported={refresh} />
      <AddDocuments onAdded={refresh} />
    </div>
  );
}

/** A password to hand the new agent, who changes it after signing in. */
function temporaryPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '');
}

function TeamStep() {
  const [invited, setInvited] = useState<{ email: string; password: string }[]>([]);
  const { run, busy, outcome } = useAction();

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const password = temporaryPassword();
    const created = await run(
      () => adminRequest('/api/admin/users', 'POST', { ...data, password }),
      `Invited ${data.email}.`,
    );
    if (created) {
      setInvited((list) => [...list, { email: data.email!, password }]);
      form.reset();
    }
  }

  return (
    <div className="space-y-3">
      <form onSubmit={invite} aria-label="Invite an agent" className={`${sectionClass} space-y-2`}>
        {outcome}
        <div className="flex flex-wrap gap-2">
          <input name="name" required placeholder="Name" aria-label="Name" className={inputClass} />
          <input
            name="email"
            type="email"
            required
            placeholder="Email"
            aria-label="Email"
            className={inputClass}
          />
          <select name="role" aria-label="Role" className={inputClass} defaultValue="agent">
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
          <button type="submit" disabled={busy} className={buttonClass}>
            Invite
          </button>
        </div>
      </form>
      {invited.length > 0 && (
        <div className={sectionClass}>
          <p className="text-sm text-ink-500">
            Send each person their sign-in address (/sign-in) and temporary password; it is shown
            only here.
          </p>
          <ul aria-label="Invited" className="text-sm">
            {invited.map((i) => (
              <li key={i.email}>
                {i.email} — <code>{i.password}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="text-sm text-ink-500">
        Manage everyone under{' '}
        <Link href="/admin/agents" className="text-brand-600 underline">
          Agents
        </Link>
        .
      </p>
    </div>
  );
}
