import { describe, expect, it } from 'vitest';
import {
  type LabelledText,
  loadTextClassifier,
  tokenizeForClassifier,
  trainTextClassifier,
} from '@/lib/classify/text-classifier';

const TOPICS: Record<string, string[]> = {
  fruit: [
    'I ate a ripe banana',
    'fresh apples and pears',
    'the mango was sweet',
    'a bowl of cherries',
    'peel the orange',
    'grapes and strawberries for dessert',
    'she bought a pineapple',
    'banana bread with apples',
  ],
  vehicle: [
    'my car needs petrol',
    'the bus was late again',
    'he rides a motorbike',
    'the truck broke down on the highway',
    'take the train to work',
    'a bicycle with a flat tyre',
    'park the car in the garage',
    'the taxi drove fast',
  ],
  weather: [
    'heavy rain this afternoon',
    'it is sunny and hot',
    'a thunderstorm is coming',
    'cloudy skies with some wind',
    'the forecast says rain',
    'snow fell overnight',
    'humid and hot again',
    'strong wind and storm warnings',
  ],
};

const examples: LabelledText[] = Object.entries(TOPICS).flatMap(([label, texts]) =>
  texts.map((text) => ({ text, label })),
);

describe('trainTextClassifier', () => {
  it('learns a small task exactly', () => {
    const classifier = trainTextClassifier(examples);
    expect(classifier.labels).toEqual(['fruit', 'vehicle', 'weather']);
    for (const { text, label } of examples) expect(classifier.predict(text).label).toBe(label);
    expect(classifier.predict('a ripe mango and a banana').label).toBe('fruit');
    expect(classifier.predict('the bus and the train were late').label).toBe('vehicle');
    expect(classifier.predict('rain and wind tomorrow').label).toBe('weather');
  });

  it('ranks every label with probabilities that sum to 1', () => {
    const { ranked, confidence } = trainTextClassifier(examples).predict('sweet cherries');
    expect(ranked.map((entry) => entry.label).sort()).toEqual(['fruit', 'vehicle', 'weather']);
    expect(ranked.reduce((sum, entry) => sum + entry.score, 0)).toBeCloseTo(1, 6);
    expect(ranked[0]!.score).toBe(confidence);
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(ranked[1]!.score);
  });

  it('declines gibberish when trained with a threshold', () => {
    const classifier = trainTextClassifier(examples, { threshold: 0.6 });
    const gibberish = classifier.predict('zqxv plorf wubbit');
    expect(gibberish.label).toBeNull();
    expect(gibberish.confidence).toBeLessThan(0.6);
    expect(classifier.predict('fresh apples and a banana').label).toBe('fruit');
  });

  describe('with enough examples to calibrate on a validation split', () => {
    const WORDS: Record<string, string[]> = {
      fruit: ['apple', 'mango', 'pear', 'banana', 'cherry', 'grape', 'melon', 'plum'],
      vehicle: ['bus', 'train', 'car', 'truck', 'taxi', 'bicycle', 'tram', 'ferry'],
      weather: ['rain', 'storm', 'snow', 'wind', 'sunny', 'cloudy', 'humid', 'thunder'],
      animal: ['dog', 'cat', 'horse', 'rabbit', 'parrot', 'goat', 'sheep', 'donkey'],
      clothing: ['shirt', 'jacket', 'scarf', 'boots', 'gloves', 'sweater', 'jeans', 'hat'],
      furniture: ['sofa', 'table', 'chair', 'wardrobe', 'shelf', 'bed', 'desk', 'stool'],
      // Never trained on: topics none of the labels covers.
      oos: ['poem', 'football', 'guitar', 'planet', 'chess', 'movie', 'painting', 'opera'],
    };
    const FILLER = ['the', 'a', 'today', 'again', 'really', 'my', 'some', 'very', 'so', 'is'];
    let state = 7;
    const pick = <T>(items: T[]): T => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return items[Math.floor((state / 2147483648) * items.length)]!;
    };
    const generated = Object.entries(WORDS).flatMap(([label, words]) =>
      Array.from({ length: label === 'oos' ? 150 : 200 }, () => ({
        text: [pick(words), pick(FILLER), pick(words), pick(FILLER), pick(words)].join(' '),
        label,
      })),
    );

    const inScope = generated.filter((e) => e.label !== 'oos');

    it('calibrates the temperature, and never declines when nothing is expected out of scope', () => {
      const classifier = trainTextClassifier(inScope, { outOfScopeShare: 0 });
      expect(classifier.threshold).toBe(0);
      expect(classifier.scoreThreshold).toBeNull();
      expect(classifier.toJSON().temperature).not.toBe(1);
      expect(classifier.predict('a ripe mango and a pear').label).toBe('fruit');
    });

    it('learns to decline from in-scope examples alone', () => {
      const classifier = trainTextClassifier(inScope);
      expect(classifier.labels).toEqual([
        'animal',
        'clothing',
        'fruit',
        'furniture',
        'vehicle',
        'weather',
      ]);
      // It declines on the top raw score, not on the confidence.
      expect(classifier.threshold).toBe(0);
      expect(classifier.scoreThreshold).toEqual(expect.any(Number));
      expect(classifier.predict('the tram and the ferry').label).toBe('vehicle');
      const outOfScope = generated.filter((e) => e.label === 'oos');
      const declined = outOfScope.filter((e) => classifier.predict(e.text).label === null);
      expect(declined.length / outOfScope.length).toBeGreaterThan(0.6);
      const kept = inScope.filter((e) => classifier.predict(e.text).label === e.label);
      expect(kept.length / inScope.length).toBeGreaterThan(0.98);
    });

    it('declines more readily the larger the share expected out of scope', () => {
      const thresholds = [0, 0.1, 0.5].map(
        (outOfScopeShare) =>
          trainTextClassifier(inScope, { outOfScopeShare }).scoreThreshold ??
          Number.NEGATIVE_INFINITY,
      );
      expect(thresholds[0]).toBeLessThanOrEqual(thresholds[1]!);
      expect(thresholds[1]).toBeLessThanOrEqual(thresholds[2]!);
      expect(thresholds[2]).toBeGreaterThan(thresholds[0]!);
      expect(() => trainTextClassifier(inScope, { outOfScopeShare: 1 })).toThrow(/outOfScopeShare/);
    });
  });

  it('handles Chinese as characters and character pairs', () => {
    expect(tokenizeForClassifier('退款 Refund 123号')).toEqual(['退', '款', 'refund', '000', '号']);
    const classifier = trainTextClassifier([
      { text: '我要退款', label: 'refund' },
      { text: '退款什么时候到账', label: 'refund' },
      { text: '钱还没退回来', label: 'refund' },
      { text: '包裹到哪里了', label: 'delivery' },
      { text: '快递什么时候送到', label: 'delivery' },
      { text: '还没收到包裹', label: 'delivery' },
    ]);
    expect(classifier.predict('退款还没到账').label).toBe('refund');
    expect(classifier.predict('我的包裹呢').label).toBe('delivery');
  });

  it('is deterministic: the same examples give the same model', () => {
    const first = JSON.stringify(trainTextClassifier(examples).toJSON());
    expect(JSON.stringify(trainTextClassifier(examples).toJSON())).toBe(first);
    expect(JSON.stringify(trainTextClassifier(examples, { seed: 2 }).toJSON())).not.toBe(first);
  });

  it('refuses to train without labels', () => {
    expect(() => trainTextClassifier([])).toThrow(/at least one label/);
    expect(() => trainTextClassifier(examples, { neighbourWeight: -1 })).toThrow(/neighbourWeight/);
  });

  describe('nearest examples in word-vector space', () => {
    const SUPPORT: LabelledText[] = [
      { text: 'I want a refund', label: 'refund' },
      { text: 'please refund my order', label: 'refund' },
      { text: 'give me my money back', label: 'refund' },
      { text: 'where is my parcel', label: 'delivery' },
      { text: 'the parcel never arrived', label: 'delivery' },
      { text: 'track my parcel please', label: 'delivery' },
      { text: 'I forgot my password', label: 'login' },
      { text: 'cannot sign in to my account', label: 'login' },
      { text: 'reset my password please', label: 'login' },
    ];
    // No n-gram of these occurs in the examples: only word meaning links them.
    const SYNONYMS = [
      { text: 'reimbursement', label: 'refund' },
      { text: 'shipment', label: 'delivery' },
      { text: 'passphrase', label: 'login' },
    ];

    it('match synonyms that share no n-gram with the examples', () => {
      const classifier = trainTextClassifier(SUPPORT);
      for (const { text, label } of SYNONYMS) expect(classifier.predict(text).label).toBe(label);
      for (const { text, label } of SUPPORT) expect(classifier.predict(text).label).toBe(label);
    });

    it('can be turned off, and then store no examples', () => {
      const withNeighbours = trainTextClassifier(SUPPORT).toJSON();
      expect(withNeighbours.neighbours?.weight).toBeGreaterThan(0);
      const without = trainTextClassifier(SUPPORT, { neighbourWeight: 0 });
      expect(without.toJSON().neighbours).toBeUndefined();
      const synonym = (classifier: typeof without) =>
        classifier.predict('reimbursement').ranked.find((entry) => entry.label === 'refund')!.score;
      expect(synonym(trainTextClassifier(SUPPORT))).toBeGreaterThan(synonym(without));
    });

    it('are chosen on the validation split when there is one', () => {
      const WORDS: Record<string, string[]> = {
        money: ['refund', 'payment', 'invoice', 'charge', 'price', 'bill', 'fee', 'cost'],
        travel: ['flight', 'hotel', 'airport', 'luggage', 'passport', 'train', 'taxi', 'visa'],
      };
      let state = 3;
      const pick = (items: string[]) => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return items[Math.floor((state / 2147483648) * items.length)]!;
      };
      const generated = Object.entries(WORDS).flatMap(([label, words]) =>
        Array.from({ length: 600 }, () => ({
          text: `my ${pick(words)} and the ${pick(words)}`,
          label,
        })),
      );
      const json = trainTextClassifier(generated).toJSON();
      // A separable task: whatever the weight, it is one of the candidates tried.
      expect([undefined, 5, 10, 15, 20, 30, 40, 60]).toContain(json.neighbours?.weight);
    });
  });
});

describe('with sentence vectors', () => {
  // Stand-in sentence vectors: each label's examples point near one axis of their own, so that
  // a message along an axis no label uses is far from every example.
  const DIMENSIONS = 8;
  let state = 11;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * 0.4;
  };
  const unit = (values: number[]) => {
    const norm = Math.hypot(...values);
    return Float32Array.from(values, (value) => value / norm);
  };
  const near = (axis: number) =>
    unit(Array.from({ length: DIMENSIONS }, (_, d) => (d === axis ? 1 : 0) + noise()));
  const LABELS = ['fruit', 'vehicle', 'weather'];
  const rows = Array.from({ length: 300 }, (_, i) => {
    const label = LABELS[i % 3]!;
    return { ...examples[(i % 3) * 8 + (Math.floor(i / 3) % 8)]!, label, vector: near(i % 3) };
  });
  const sentences = { encoder: 'test:8', vectors: rows.map((row) => row.vector) };

  it('declines a message far from every example, whatever its words', () => {
    const classifier = trainTextClassifier(rows, { sentences });
    expect(classifier.sentenceEncoder).toBe('test:8');
    expect(classifier.noveltyThreshold).toBeGreaterThan(0);
    expect(classifier.predict('a ripe mango and a banana', near(0)).label).toBe('fruit');
    expect(classifier.predict('a ripe mango and a banana', near(5)).label).toBeNull();
  });

  it('without a vector, predicts as the same model trained without them', () => {
    const withVectors = trainTextClassifier(rows, { sentences });
    const without = trainTextClassifier(rows);
    for (const text of ['a ripe mango', 'the bus was late', 'rain', 'zqxv']) {
      expect(withVectors.predict(text)).toEqual(without.predict(text));
    }
  });

  it('is stored with its sentence part and reloads to predict exactly the same', () => {
    const trained = trainTextClassifier(rows, { sentences });
    const stored = JSON.parse(JSON.stringify(trained.toJSON()));
    expect(stored.format).toBe('tandem-text-classifier/3');
    const loaded = loadTextClassifier(stored);
    for (const axis of [0, 1, 2, 6]) {
      expect(loaded.predict('the bus and the rain', near(axis))).toEqual(
        trained.predict('the bus and the rain', near(axis)),
      );
    }
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(stored));
    expect(() => loaded.predict('rain', new Float32Array(4))).toThrow(/test:8/);
    const broken = { ...stored, sentences: { ...stored.sentences, vectors: stored.keys } };
    expect(() => loadTextClassifier(broken)).toThrow(/Corrupt classifier/);
  });

  it('needs one vector per example', () => {
    expect(() =>
      trainTextClassifier(rows, { sentences: { encoder: 'test:8', vectors: [near(0)] } }),
    ).toThrow(/one sentence vector per example/);
  });
});

describe('loadTextClassifier', () => {
  it('reloads a stored model that predicts exactly the same', () => {
    const trained = trainTextClassifier(examples, { threshold: 0.5 });
    const stored = JSON.parse(JSON.stringify(trained.toJSON()));
    const loaded = loadTextClassifier(stored);
    expect(loaded.labels).toEqual(trained.labels);
    expect(loaded.threshold).toBe(0.5);
    const probes = [...examples.map((e) => e.text), 'rainy bus ride', 'zqxv', '', '下雨了'];
    for (const text of probes) expect(loaded.predict(text)).toEqual(trained.predict(text));
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(stored));
  });

  it('keeps the learnt decline on the top score, and loads older models on their confidence', () => {
    const trained = trainTextClassifier(examples, { outOfScopeShare: 0.3, validationShare: 0.5 });
    const stored = JSON.parse(JSON.stringify(trained.toJSON()));
    const loaded = loadTextClassifier(stored);
    expect(loaded.scoreThreshold).toBe(trained.scoreThreshold);
    for (const text of ['rainy bus ride', 'zqxv', '']) {
      expect(loaded.predict(text)).toEqual(trained.predict(text));
    }
    // A model stored before the score threshold declines below its confidence threshold.
    const older = { ...stored, threshold: 0.99 };
    delete older.scoreThreshold;
    const old = loadTextClassifier(older);
    expect(old.scoreThreshold).toBeNull();
    const sure = old.predict(examples[0]!.text);
    expect(sure.label).toBe(sure.confidence >= 0.99 ? examples[0]!.label : null);
    expect(old.predict('zqxv').label).toBeNull();
  });

  it('reloads the nearest examples with the model', () => {
    const trained = trainTextClassifier(examples, { neighbourWeight: 20 });
    const stored = JSON.parse(JSON.stringify(trained.toJSON()));
    expect(stored.neighbours.weight).toBe(20);
    const loaded = loadTextClassifier(stored);
    for (const text of ['a ripe papaya', 'the lorry', 'drizzle and fog', '下雨了', '']) {
      expect(loaded.predict(text)).toEqual(trained.predict(text));
    }
  });

  it('still loads models stored before the nearest examples (format 1)', () => {
    const trained = trainTextClassifier(examples, { neighbourWeight: 0 });
    const stored = { ...trained.toJSON(), format: 'tandem-text-classifier/1' };
    const loaded = loadTextClassifier(stored as never);
    for (const text of ['a ripe mango', 'the bus', 'rain']) {
      expect(loaded.predict(text)).toEqual(trained.predict(text));
    }
  });

  it('rejects corrupt nearest examples', () => {
    const stored = trainTextClassifier(examples, { neighbourWeight: 20 }).toJSON();
    const broken = { ...stored, neighbours: { ...stored.neighbours!, examples: stored.keys } };
    expect(() => loadTextClassifier(broken)).toThrow(/Corrupt classifier/);
  });

  it('rejects a model of another format', () => {
    const stored = { ...trainTextClassifier(examples).toJSON(), format: 'other' };
    expect(() => loadTextClassifier(stored as never)).toThrow(/Unknown classifier format/);
  });
});
