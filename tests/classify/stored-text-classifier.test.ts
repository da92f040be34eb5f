import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadTextClassifier,
  type SerializedTextClassifier,
  type TextPrediction,
} from '@/lib/classify/text-classifier';

// Written by the classifier as it was before it was split into modules.
const fixture = JSON.parse(
  readFileSync(
    path.join(process.cwd(), 'tests/classify/fixtures/text-classifier-format-2.json'),
    'utf8',
  ),
) as {
  model: SerializedTextClassifier;
  predictions: { text: string; prediction: TextPrediction }[];
};

describe('a classifier stored by an earlier version', () => {
  it('stores nearest examples, as the models in the database do', () => {
    expect(fixture.model.format).toBe('tandem-text-classifier/2');
    expect(fixture.model.neighbours).toBeDefined();
  });

  it('loads and predicts exactly what it predicted then', () => {
    const classifier = loadTextClassifier(fixture.model);
    for (const { text, prediction } of fixture.predictions) {
      expect(classifier.predict(text)).toEqual(prediction);
    }
  });

  it('is stored again in exactly the same form', () => {
    expect(loadTextClassifier(fixture.model).toJSON()).toEqual(fixture.model);
  });
});
