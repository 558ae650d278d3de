import type { PythonFile } from '../python/python-file';
import { leakyFits } from '../python/training-setup/preprocessing-flow';
import { codeSpan, quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const preprocessingLeakage: PythonRule = {
  code: 'preprocessing-leakage',
  drawback: 'data',
  defaultSeverity: 'warning',
  title: 'Preprocessing fitted on the whole data set before it is split',
  explanation: `
A scaler, imputer, feature selector or vectorizer *learns* from the rows it is fitted on: means and
variances, medians, principal components, the features most correlated with the label, a vocabulary.
Fitting it on the whole data set and splitting afterwards lets statistics of the test (or
cross-validation) rows shape the training features. The held-out score then measures a model that has
already seen part of its test set and comes out optimistic — most of all for feature selection,
which looks at the labels. Yang, Brower-Sinning, Lewis and Kästner found this "preprocessing leakage"
to be among the most common kinds of data leakage in public notebooks.

The rule follows, inside each function and at the top level in document order, the output of
\`fit_transform\` (or \`transform\` after \`fit\` on the same data) of scikit-learn's \`StandardScaler\`,
\`MinMaxScaler\`, \`RobustScaler\`, \`MaxAbsScaler\`, \`QuantileTransformer\`, \`PowerTransformer\`,
\`KBinsDiscretizer\`, imputers, \`PCA\`/\`TruncatedSVD\` and friends, feature selectors (\`SelectKBest\`,
\`RFE\`, \`VarianceThreshold\`, …), \`TfidfVectorizer\`/\`CountVectorizer\` and \`TargetEncoder\` through plain
assignments (and \`np.array\`, \`pd.DataFrame\`, \`.astype\`, slicing), and fires when those values are
then handed to \`train_test_split\`, a \`KFold\`-style \`split\`, \`cross_val_score\`/\`cross_validate\`/
\`cross_val_predict\`, or Keras \`fit(..., validation_split=...)\` (whose validation rows were scaled with
their own statistics, so the validation loss — and early stopping on it — is optimistic too). A variable reassigned in between is no longer followed. Not flagged: stateless
transformers (\`Normalizer\`, \`PolynomialFeatures\`), encoders (\`LabelEncoder\` on the target learns no
statistic that inflates a score), transformers fitted on \`X_train\` only, and a \`Pipeline\` passed to
\`cross_val_score\`, which refits its steps inside each fold.

## How to fix
Split first, then fit on the training part only and apply to both:

\`\`\`python
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
\`\`\`

For cross-validation, put the preprocessing in a pipeline: \`cross_val_score(make_pipeline(StandardScaler(), model), X, y)\`.

Sources: C. Yang, R. A. Brower-Sinning, G. Lewis, C. Kästner, "Data Leakage in Notebooks: Static
Detection and Better Processes", ASE 2022 (doi:10.1145/3551349.3556918); scikit-learn user guide,
"Common pitfalls and recommended practices — Data leakage" (scikit-learn.org/stable/common_pitfalls.html).
`,
  checkPython(file: PythonFile): RuleHit[] {
    return leakyFits(file).map((leak) => {
      const fn = leak.split.childForFieldName('function')?.text ?? 'the split';
      const splitter = file.calleeTail(leak.split) === 'fit' ? `${fn}(validation_split=…)` : fn;
      const evidence = [`${quoteNode(leak.fit)} fits \`${leak.transformer}\` on all of ${codeSpan(leak.fittedOn)}`];
      if (leak.through.length) evidence.push(`the fitted values flow into ${leak.through.map((v) => codeSpan(v)).join(' → ')}`);
      evidence.push(`${quoteNode(leak.split)} splits ${codeSpan(leak.splitData)} afterwards`);
      return {
        range: file.range(leak.fit),
        message:
          `${leak.transformer} is fitted on ${flat(leak.fittedOn)} before ${splitter} splits it (line ${leak.split.startPosition.row + 1}): ` +
          `statistics of the held-out rows leak into training and the held-out score comes out optimistic. Split first and fit ${leak.transformer} on the training part only (or use a Pipeline).`,
        evidence,
        data: { transformer: leak.transformer, splitLine: leak.split.startPosition.row + 1 },
      };
    });
  },
};

function flat(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}
