import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  hashFeatures,
  KeywordClassifier,
  loadTextClassifier,
  MajorityClassifier,
  MultinomialNaiveBayes,
  SoftmaxRegression,
  stratifiedSplit,
} from './classifier';

const DATA: [string, string][] = [
  ['we were charged twice on the invoice', 'billing'],
  ['refund the duplicate payment please', 'billing'],
  ['the invoice total is wrong', 'billing'],
  ['update our credit card for payment', 'billing'],
  ['billing address on the invoice is wrong', 'billing'],
  ['the dashboard is down and slow', 'outage'],
  ['site down again, timeout errors', 'outage'],
  ['pages are very slow to load today', 'outage'],
  ['the api is down for everyone', 'outage'],
  ['outage in the eu region, nothing loads', 'outage'],
  ['how do i add a new user', 'howto'],
  ['how do i export a report', 'howto'],
  ['where can i change my password', 'howto'],
  ['how do i configure single sign on', 'howto'],
  ['can you explain how to set up alerts', 'howto'],
];
const texts = DATA.map((d) => d[0]);
const labels = DATA.map((d) => d[1]);

describe('text classifiers', () => {
  it('hashes unigrams (without stop words) and bigrams', () => {
    const f = hashFeatures('the app the app', { buckets: 1 << 20 });
    // "app" x2, "the app" x2, "app the" x1
    expect([...f.val].sort()).toEqual([1, 2, 2]);
  });

  it('naive Bayes learns a small known set and round-trips through JSON', () => {
    const nb = new MultinomialNaiveBayes().fit(texts, labels);
    expect(nb.score(texts, labels)).toBe(1);
    expect(nb.predict('we got charged twice, refund please').label).toBe('billing');
    expect(nb.predict('everything is down and slow').label).toBe('outage');
    expect(nb.predict('how do i add a report').label).toBe('howto');
    const back = loadTextClassifier(JSON.parse(JSON.stringify(nb.toJSON())));
    expect(back.predictProba('invoice is wrong')).toEqual(
      nb.predictProba('invoice is wrong').map((p) => expect.closeTo(p, 4)),
    );
  });

  it('softmax regression and keyword baseline learn it too; majority predicts the top class', () => {
    const sm = new SoftmaxRegression({ seed: 3 }).fit(texts, labels);
    expect(sm.score(texts, labels)).toBe(1);
    expect(loadTextClassifier(sm.toJSON()).predict('refund the invoice').label).toBe('billing');
    const kw = new KeywordClassifier(5, 2).fit(texts, labels);
    expect(kw.keywords.howto).toContain('how');
    expect(kw.predict('how do i do this').label).toBe('howto');
    expect(new MajorityClassifier().fit(['a', 'b', 'c'], ['x', 'y', 'y']).predict('z').label).toBe('y');
  });

  it('computes accuracy and macro-F1 like the textbook', () => {
    // gold: a a b b ; pred: a b b b -> a: P=1 R=.5 F=.667 ; b: P=.667 R=1 F=.8 ; macro .7333
    const m = classificationMetrics(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']);
    expect(m.accuracy).toBe(0.75);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 6);
  });

  it('splits stratified and reproducibly', () => {
    const a = stratifiedSplit(labels, 0.2, 1);
    const b = stratifiedSplit(labels, 0.2, 1);
    expect(a).toEqual(b);
    expect(a.test.length).toBe(3);
    expect(new Set(a.test.map((i) => labels[i])).size).toBe(3);
  });
});
