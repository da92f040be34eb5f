import { expect, type Locator, type Page, test } from '@playwright/test';

interface Watched {
  /** When the question was sent (the page's clock). */
  sentAt: number;
  /** Each network read that carried answer text: when (ms after sending) and how many deltas. */
  network: { at: number; deltas: number }[];
  /** Each length the newest answer was shown at, and when. */
  shown: { at: number; chars: number }[];
}

/**
 * Installed before the widget's own scripts: for each question sent, notes when, each network
 * read of the chat response that carries answer text (the page's copy of the body, so the
 * widget's reading is untouched), and each length the answer that follows is shown at.
 */
function watchStreaming() {
  const turns: Watched[] = [];
  (window as unknown as { streaming: Watched[] }).streaming = turns;
  const answers = () => document.querySelectorAll('article[data-author="ai"] .prose-answer');
  let before = 0;
  document.addEventListener(
    'submit',
    () => {
      // The widget's greeting and earlier answers are not this question's answer.
      before = answers().length;
      turns.push({ sentAt: performance.now(), network: [], shown: [] });
    },
    true,
  );
  const since = (turn: Watched) => performance.now() - turn.sentAt;

  const fetchOriginal = window.fetch;
  window.fetch = async (input, init) => {
    const response = await fetchOriginal(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const turn = turns.at(-1);
    if (!turn || !new URL(url, location.href).pathname.endsWith('/api/chat') || !response.body) {
      return response;
    }
    const [forWidget, forWatch] = response.body.tee();
    void (async () => {
      const decoder = new TextDecoder();
      const reader = forWatch.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const text = decoder.decode(next.value, { stream: true });
        const deltas = text.split('"type":"text-delta"').length - 1;
        if (deltas > 0) turn.network.push({ at: since(turn), deltas });
      }
    })();
    return new Response(forWidget, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  new MutationObserver(() => {
    const turn = turns.at(-1);
    const answer = answers()[before];
    const chars = answer?.textContent?.trim().length ?? 0;
    if (turn && chars > 0 && turn.shown.at(-1)?.chars !== chars) {
      turn.shown.push({ at: since(turn), chars });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

async function ask(page: Page, question: string): Promise<Locator> {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
  const answer = page.locator('article[data-author="ai"]').last();
  await expect(answer.getByRole('navigation', { name: 'Sources' })).toBeVisible();
  return answer;
}

// The first question after the server starts also pays for loading its classifiers and index;
// the second is what customers usually meet. Both are logged; neither is timed against a limit.
test('an offline answer reaches the widget in several pieces, its first words shown early', async ({
  page,
}) => {
  await page.addInitScript(watchStreaming);
  await page.goto('/widget');
  const questions = ['How do I reset my password?', 'What is your refund policy?'];
  const finalChars: number[] = [];
  for (const question of questions) {
    const answer = await ask(page, question);
    finalChars.push((await answer.locator('.prose-answer').textContent())?.trim().length ?? 0);
  }

  const turns = await page.evaluate(
    () => (window as unknown as { streaming: Watched[] }).streaming,
  );
  expect(turns).toHaveLength(questions.length);
  turns.forEach((turn, i) => {
    const firstWords = turn.shown[0]!;
    const line =
      `${questions[i]} → ${turn.network.length} network reads with text, shown at ` +
      `${turn.shown.length} lengths; first words visible after ${firstWords.at.toFixed(0)} ms ` +
      `(first text received after ${turn.network[0]!.at.toFixed(0)} ms), whole answer after ` +
      `${turn.shown.at(-1)!.at.toFixed(0)} ms`;
    console.info(line);
    test.info().annotations.push({ type: 'streaming', description: line });

    // More than one piece on the wire, and the customer saw the answer grow rather than appear.
    expect(turn.network.length).toBeGreaterThan(1);
    expect(turn.shown.length).toBeGreaterThan(1);
    expect(firstWords.chars).toBeLessThan(finalChars[i]! / 2);
    expect(turn.shown.at(-1)!.chars).toBe(finalChars[i]);
  });
});
