/** The offline model's own sentences around an answer, in each language it speaks. */
export interface ReplyPhrases {
  acknowledge: { frustration: string; urgency: string };
  offerPerson: string;
  /** Before an English excerpt answering a question asked in another language. */
  onlyInEnglish: string;
  offerPersonForLanguage: string;
}

const PHRASES: Record<string, ReplyPhrases> = {
  en: {
    acknowledge: {
      frustration: "I'm sorry about this — I understand how frustrating it is.",
      urgency: "I understand this is urgent, so here's the quickest way to sort it out.",
    },
    offerPerson:
      "If you've already tried this, or it still isn't sorted, I can bring in a person from our support team — just say so.",
    onlyInEnglish: 'Our help center explains this in English only:',
    offerPersonForLanguage: 'If you need more help, I can bring in a person from our support team.',
  },
  zh: {
    acknowledge: {
      frustration: '非常抱歉给您带来这样的困扰，我完全理解您的心情。',
      urgency: '我明白这件事很急，下面是最快的处理办法。',
    },
    offerPerson: '如果您已经按这些步骤做了，问题还是没有解决，我可以为您转接客服人员，请告诉我。',
    onlyInEnglish: '关于这个问题，我们的帮助中心目前只有英文说明，以下是相关的内容：',
    offerPersonForLanguage: '如果需要用中文进一步说明，我可以为您转接我们的客服人员。',
  },
};

/** The phrases in the customer's language, English when Tandem does not speak it. */
export function replyPhrases(language: string): ReplyPhrases {
  return PHRASES[language] ?? PHRASES.en!;
}
