/** Loads any stored model by its `name` field. */
import { CalibratedClassifier } from './calibration';
import { GradientBoostedTrees } from './gbt';
import { LogisticRegression } from './logistic';
import type { Classifier } from './model';

export const loadModel = (json: unknown): Classifier => {
  const name = (json as { name?: unknown })?.name;
  switch (name) {
    case LogisticRegression.NAME:
      return LogisticRegression.load(json);
    case GradientBoostedTrees.NAME:
      return GradientBoostedTrees.load(json);
    case CalibratedClassifier.NAME:
      return CalibratedClassifier.load(json, loadModel);
    default:
      throw new Error(`unknown model "${String(name)}"`);
  }
};
