import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { generateText, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { answerBesideTools, composeAnswer } from '@/lib/ai/offline/compose-answer';
import { createOfflineModel } from '@/lib/ai/offline/offline-model';
import { type AnswerContext, answerInstructions } from '@/lib/ai/prompts';
import type { Classification } from '@/lib/classify/schema';
import type { Passage } from '@/lib/kb/types';
import { passage } from '../fixtures/passage';

/*
 * A help center made up for these tests — Pedalo, a bike rental in the Netherlands and Belgium —
 * so the composer is shown to work on articles it was never tuned on.
 */
const identity = { assistantName: 'Pedalo Helper', businessName: 'Pedalo' };

const article = (slug: string, title: string) => (sectionPath: string, content: string) =>
  passage({ id: `${slug}:${sectionPath}`, documentId: slug, slug, title, sectionPath, content });

const prices = article('rental-prices', 'Rental prices and deposits');
const delivery = article('bike-delivery', 'Bike delivery to your door');
const plans = article('memberships', 'Pedalo memberships');
const damage = article('report-damage', 'Report a damaged bike');

const intro = prices(
  '',
  'This article explains what renting a Pedalo bike costs and when you get your deposit back. Pedalo bikes can be rented in the app.',
);
const deposits = prices(
  'Deposits',
  'We hold a deposit of €50 on your card when you unlock a bike. The hold is released within **3 working days** after you return the bike. Deposits paid by bank transfer are returned within **7 working days**.',
);
const priceTable = prices(
  'Hourly and daily prices',
  '| Bike | Per hour | Per day |\n| --- | --- | --- |\n| City bike | €3 | €15 |\n| E-bike | €6 | €30 |\n| Cargo bike | €8 | €40 |\n\nPrices include 21% VAT.',
);
const netherlands = delivery(
  'Netherlands',
  'Standard delivery takes **1–2 days** and costs €10. Orders before noon arrive the next day in Amsterdam and Rotterdam.',
);
const belgium = delivery('Belgium', 'Standard delivery takes **3–4 days** and costs €15.');
const elsewhere = delivery(
  'International',
  "We don't deliver bikes outside the Netherlands and Belgium yet.",
);
const perks = plans(
  'Member perks',
  '- **Basic:** 10% off day passes.\n- **Plus:** 20% off day passes and free helmet rental.\n- **Family:** four bikes on one account and 25% off day passes.',
);
const report = damage(
  'Report damage',
  'Tell us within **48 hours** so we can fix the bike before the next rider.\n\n1. Open **Rides** in the app and select the ride.\n2. Select **Report a problem**.\n3. Add photos and select **Send**.\n\nWe review reports within 1 working day and email you the outcome.\n\nRiding somewhere nice this weekend? Share it with #pedalo.',
);

const reading = (over: Partial<Classification['sentiment']> = {}, intent = 'question') =>
  ({
    sentiment: { polarity: 0, label: 'neutral', frustration: 0, ...over },
    priority: 'medium',
    intent,
  }) as AnswerContext['reading'];

/** What the offline model answers to `messages` with these passages in its instructions. */
async function answer(passages: Passage[], messages: string[], context: AnswerContext = {}) {
  const { text } = await generateText({
    model: createOfflineModel(),
    instructions: answerInstructions(identity, passages, context),
    messages: messages.map(
      (content, i): ModelMessage =>
        i % 2 === 0 ? { role: 'user', content } : { role: 'assistant', content },
    ),
  });
  return text;
}

describe('the offline answer', () => {
  it('answers from the part that answers, not from the introduction, under its heading, citing it', async () => {
    const text = await answer([intro, deposits, priceTable], ['When do I get my deposit back?']);
    expect(text).toBe(
      '**Deposits**\n\nWe hold a deposit of €50 on your card when you unlock a bike. The hold is released within **3 working days** after you return the bike. Deposits paid by bank transfer are returned within **7 working days**. [2]',
    );
    expect(text).not.toMatch(/This article explains/);
  });

  it('gives the table row asked about, said with its column names, and not the other rows', async () => {
    const text = await answer([intro, priceTable, deposits], ['How much is an e-bike for a day?']);
    expect(text).toMatch(/\*\*E-bike\*\* — Per hour: €6; Per day: €30/);
    expect(text).not.toMatch(/Cargo bike|City bike/);
    expect(text).toMatch(/\[2\]/);
  });

  it('answers "how long do I have to…" with the time allowed, not the time it takes', async () => {
    const bookings = article('cancel-booking', 'Cancel a booking');
    const refunded = bookings(
      'After you cancel a booking',
      'We refund a cancelled booking to your card in **5 working days**.',
    );
    const allowed = bookings(
      'Free cancellation',
      'You can cancel free of charge within **24 hours** of booking, in **Rides > Bookings**.',
    );
    const text = await answer([refunded, allowed], ['How long do I have to cancel a booking?']);
    expect(text.startsWith('**Free cancellation**\n\nYou can cancel free of charge within')).toBe(
      true,
    );
  });

  it('keeps steps whole, with the sentence that says what happens next, and not the chatter after', async () => {
    const text = await answer([report, intro], ['How do I report a damaged bike?']);
    expect(text).toContain(
      '1. Open **Rides** in the app and select the ride.\n2. Select **Report a problem**.\n3. Add photos and select **Send**.',
    );
    expect(text).toContain('We review reports within 1 working day');
    expect(text).not.toContain('#pedalo');
    expect(text.startsWith('**Report damage**')).toBe(true);
  });

  it('picks the part for the country the customer writes from, by a city of it', async () => {
    const text = await answer(
      [belgium, netherlands, elsewhere],
      ["I'm in Antwerp. How long does delivery take and what does it cost?"],
    );
    expect(text).toMatch(/\*\*Belgium\*\*/);
    expect(text).toMatch(/3–4 days\*\* and costs €15/);
    expect(text).not.toMatch(/€10|1–2 days/);
  });

  it('gives the parts side by side, each under its label, when the country is not known', async () => {
    const text = await answer(
      [netherlands, belgium, elsewhere],
      ['How long does standard delivery take?'],
    );
    expect(text).toMatch(/\*\*Netherlands\*\*[\s\S]*1–2 days[\s\S]*\*\*Belgium\*\*[\s\S]*3–4 days/);
  });

  it('serves a customer in a country no part names from the part for every other country', async () => {
    const text = await answer(
      [netherlands, belgium, elsewhere],
      ['I live in Sydney. Can you deliver a bike to me?'],
    );
    expect(text).toMatch(/outside the Netherlands and Belgium/);
    expect(text).not.toMatch(/€10|€15/);
  });

  it("picks the customer's plan from what the site says about them, and its column in a table", async () => {
    const text = await answer([perks], ['What discount do I get on day passes?'], {
      profile: { siteContext: { plan: 'Plus' } },
    });
    expect(text).toContain('**Plus:** 20% off day passes');
    expect(text).not.toMatch(/Basic|Family/);

    const planTable = plans(
      'Compare plans',
      '| | Basic | Plus | Family |\n| --- | --- | --- | --- |\n| Monthly price | €5 | €9 | €15 |\n| Free helmet | No | Yes | Yes |',
    );
    const priced = await answer([planTable], ['How much is Family per month?']);
    expect(priced).toContain('**Monthly price** (Family): €15');
    expect(priced).not.toContain('€9');
  });

  it('reads a detail the customer gave earlier in the conversation', async () => {
    const returned = prices(
      'Deposits',
      'Deposits go back the way you paid:\n\n| Paid by | Back within |\n| --- | --- |\n| Card | 3 working days |\n| Bank transfer | 7 working days |\n| PayPal | 1 working day |',
    );
    const text = await answer(
      [returned],
      ['I paid the deposit by bank transfer.', 'Thanks.', 'When will I get the deposit back?'],
    );
    expect(text).toMatch(/\*\*Bank transfer\*\* — Back within: 7 working days/);
    expect(text).not.toMatch(/PayPal|\*\*Card\*\*/);
  });

  it('acknowledges frustration first, in the customer’s language, and offers a person for a problem to report', async () => {
    const text = await answer(
      [report],
      ['The bike I rented has a broken brake and nobody answers, this is ridiculous'],
      { reading: reading({ polarity: -0.7, label: 'negative', frustration: 0.6 }, 'complaint') },
    );
    expect(text.split('\n\n')[0]).toBe(
      "I'm sorry about this — I understand how frustrating it is.",
    );
    expect(text).toContain('Select **Report a problem**');
    expect(text.split('\n\n').at(-1)).toMatch(/bring in a person from our support team/);

    const calm = await answer([report], ['How do I report a damaged bike?'], {
      reading: reading(),
    });
    expect(calm).not.toMatch(/sorry|frustrating|bring in a person/);
  });

  it('frames an English excerpt in Chinese when only an English article answers a Chinese question', async () => {
    const refunds = prices(
      'Refunds',
      'Refunds reach your card within **5 working days**. Refunds to a bank account take up to 10 working days.',
    );
    const text = await answer([refunds], ['退款多久到账？'], {
      language: 'zh',
      reading: reading({ polarity: -0.5, label: 'negative', frustration: 0.5 }),
    });
    const [acknowledgement, framing] = text.split('\n\n');
    expect(acknowledgement).toMatch(/抱歉/);
    expect(framing).toMatch(/英文/);
    expect(text).toMatch(/5 working days/);
    expect(text).toMatch(/\[1\]/);
  });

  it('gives the rows a general word may mean side by side, and not the rows it cannot mean', async () => {
    const refundTimes = prices(
      'Refund times',
      'Refunds go back the way you paid:\n\n| Paid with | Back within |\n| --- | --- |\n| Visa or Mastercard | 5 working days |\n| iDEAL | 2 working days |\n| Pedalo gift card | Instantly |',
    );
    // "my card": the gift card, or as likely the Visa; never iDEAL.
    const text = await answer([refundTimes], ['How long until a refund reaches my card?']);
    expect(text).toMatch(/\*\*Visa or Mastercard\*\* — Back within: 5 working days/);
    expect(text).toMatch(/\*\*Pedalo gift card\*\* — Back within: Instantly/);
    expect(text).not.toMatch(/iDEAL/);
    // Named exactly, the row is given alone.
    const exact = await answer([refundTimes], ['How long does a refund take on a gift card?']);
    expect(exact).toMatch(/Pedalo gift card/);
    expect(exact).not.toMatch(/Visa|iDEAL/);
  });

  it('gives the item of a list the customer named in full, not a sibling for another option', async () => {
    const refundTimes = article('zh-refunds', '押金和退款')(
      '退款多久到账',
      '退款会退回到 **原付款方式**：\n\n- Visa、Mastercard、Maestro、American Express 或 Apple Pay：批准后 **5–7 个工作日** 到账。\n- PayPal：批准后 **2–3 个工作日** 到账。\n- iDEAL：批准后 **1 个工作日** 到账。',
    );
    const addCard = article('payments', 'Ways to pay')(
      'Add a card',
      'Select **Add payment method** and enter the card details, or connect PayPal.',
    );
    const text = await answer([refundTimes, addCard], ['用 PayPal 付的钱，退款几天到账？'], {
      language: 'zh',
    });
    expect(text).toMatch(/PayPal：批准后 \*\*2–3 个工作日\*\* 到账/);
    expect(text).not.toMatch(/Visa|iDEAL/);
  });

  it('leaves out a part from another article that is only about a country the customer is not in', async () => {
    const invoices = article('invoices', 'Your invoice explained')(
      'What your invoice shows',
      '- **VAT:** prices for deliveries in the Netherlands include **21% VAT**, shown as a breakdown.\n- **Deposit:** shown as a separate line and never taxed.',
    );
    const belgianVat = delivery(
      'Belgium',
      'Standard delivery takes **3–4 days** and costs €15. Deliveries to Belgium are charged Belgian VAT of 6% at checkout.',
    );
    const text = await answer([belgianVat, invoices], ['Is VAT charged on deliveries to Belgium?']);
    expect(text).toMatch(/Belgian VAT of 6%/);
    expect(text).not.toMatch(/21%/);
  });

  it('does not answer with an introduction that only points to the steps below it', async () => {
    const appIntro = article('app-problems', 'Fix app problems')(
      '',
      "If the Pedalo app won't open or a bike won't unlock, the steps below fix most problems. Try them in order.",
    );
    const restart = article('app-problems', 'Fix app problems')(
      'Restart the app',
      '1. Close the Pedalo app completely.\n2. Open it again and sign in.',
    );
    const text = await answer([appIntro, restart], ["The Pedalo app won't open for me"]);
    expect(text.startsWith('**Restart the app**\n\n1. Close the Pedalo app completely.')).toBe(
      true,
    );
  });

  it('puts the numbered sections before the one that answers first, in the order to try them', async () => {
    const unlock = article('unlock-problems', "A bike won't unlock");
    const outage = unlock(
      '1. Check the service status',
      'Open **status.pedalo.example**. If there is a disruption, locks open again once it is fixed.',
    );
    const bluetooth = unlock(
      '2. Reconnect the lock',
      '1. Turn Bluetooth off and on, then tap the lock on the bike again.\n2. Stand within 2 metres of the bike while it unlocks.',
    );
    const payment = unlock(
      '3. Check your payment card',
      'A bike only unlocks when your card on file is valid. Update it under **Profile > Payment**.',
    );
    const text = await answer(
      [bluetooth, payment, outage],
      ["The lock won't open when I tap it, the bike stays locked"],
      { reading: reading({ polarity: -0.3, label: 'negative' }, 'complaint') },
    );
    expect(
      text.startsWith('**1. Check the service status**\n\nOpen **status.pedalo.example**.'),
    ).toBe(true);
    expect(text.indexOf('**1. Check the service status**')).toBeLessThan(
      text.indexOf('**2. Reconnect the lock**'),
    );
    expect(text).not.toContain('3. Check your payment card');
  });

  it('answers a customer who wants something undone with how to undo it, not the steps they took', async () => {
    const remove = article('delete-account', 'Delete your Pedalo account');
    const before = remove(
      'Before you delete your account',
      'End any ride in progress and pay open invoices first. Your ride history is deleted with the account.',
    );
    const steps = remove(
      'Delete your account',
      '1. Open **Profile** in the app.\n2. Select **Delete account**.\n3. Enter your password and select **Delete**.',
    );
    const grace = remove(
      'The 14-day pause',
      'Your account is paused for **14 days** before it is deleted. During that time you can restore it by signing in and tapping **Keep my account**.',
    );
    const text = await answer(
      [before, steps, grace],
      ['I deleted my Pedalo account yesterday by accident. Can I get it back?'],
      { reading: reading({ polarity: -0.3, label: 'negative' }, 'complaint') },
    );
    expect(text.startsWith('**The 14-day pause**')).toBe(true);
    expect(text).toContain('tapping **Keep my account**');
    expect(text).not.toContain('Select **Delete account**');
  });

  it('does not tell a customer what to do before something they say they did already', async () => {
    const remove = article('delete-account', 'Delete your Pedalo account');
    const before = remove(
      'Before you delete your account',
      'Download your ride history from **Profile > Rides** first: it is deleted with the account.',
    );
    const after = remove(
      'What happens to your data',
      'We keep your ride history for **14 days** after you delete your account, then erase it.',
    );
    const text = await answer(
      [before, after],
      ['I deleted my account this morning. What happens to my ride history?'],
    );
    expect(text.startsWith('**What happens to your data**')).toBe(true);
    expect(text).not.toContain('Download your ride history');
  });

  it('reads a Chinese question that names a place by the rest of its words too', async () => {
    const zhDelivery = article('zh-bike-delivery', '送车上门')(
      '荷兰境内送车',
      '- **标准送车**：1–2 天送达，每次送车费用 €10。\n- **次日送车**：中午前下单，每次送车费用 €15。',
    );
    const text = await answer([netherlands, zhDelivery], ['在荷兰送车要多少钱？']);
    expect(text).toContain('**标准送车**：1–2 天送达，每次送车费用 €10。');
    expect(text).not.toMatch(/Standard delivery takes/);
    expect(text).toMatch(/\[2\]/);
  });

  it('declines a question about another shop, however many words it shares with the articles', async () => {
    for (const question of [
      'Can you check the status of my Amazon order?',
      'The same day pass is cheaper on Shopee, will you match it?',
      '我在淘宝买的自行车多久能到？',
    ]) {
      expect(await answer([netherlands, deposits], [question])).toMatch(
        /don't know|抱歉|bring in|connect you/,
      );
    }
    // A shop the articles themselves name is theirs to talk about.
    const marketplace = delivery(
      'Ordered on Amazon?',
      'Bikes bought through our Amazon store are delivered by Amazon within **2 days**.',
    );
    expect(await answer([marketplace], ['How long does my Amazon order take?'])).toMatch(/2 days/);
  });

  it('says it does not know, in the customer’s language, when the prompt holds no sources', async () => {
    expect(await answer([], ['Can I rent a tandem?'])).toMatch(/don't know/);
    expect(await answer([], ['可以租双人自行车吗？'], { language: 'zh' })).toMatch(/^抱歉/);
  });
});

describe('the answer beside a tool’s result', () => {
  const prompt = (question: string): LanguageModelV4Prompt => [
    { role: 'system', content: answerInstructions(identity, [perks, intro]) },
    { role: 'user', content: [{ type: 'text', text: question }] },
  ];
  const accountTool = {
    type: 'function',
    name: 'lookup_account',
    description: "Look up the signed-in customer's own account: plan, status and renewal date.",
  };

  it('adds what the sources say about the plan the tool found', () => {
    const text = answerBesideTools(
      prompt('What discount on day passes does my plan give me?'),
      [{ toolName: 'lookup_account', output: { plan: 'Family', status: 'active' } }],
      [accountTool],
    );
    expect(text).toContain('**Family:** four bikes on one account and 25% off day passes.');
    expect(text).not.toMatch(/Basic|\*\*Plus/);
  });

  it('adds nothing when the tool answered the whole question, or failed', () => {
    const tools = [accountTool];
    const found = [{ toolName: 'lookup_account', output: { plan: 'Family', status: 'active' } }];
    expect(answerBesideTools(prompt('What plan am I on?'), found, tools)).toBe('');
    const failed = [{ toolName: 'lookup_account', output: { error: 'Sign in first.' } }];
    expect(answerBesideTools(prompt('What discount does my plan give me?'), failed, tools)).toBe(
      '',
    );
  });

  it('composes nothing from a prompt whose question the passages do not answer well', () => {
    expect(
      composeAnswer(prompt('Do you sell helmets?'), {
        onlyIfConfident: { ignoreTerms: new Set() },
      }),
    ).toBe('');
  });
});
