import type { Node } from 'web-tree-sitter';
import type { Fix } from '../finding';
import type { PythonFile } from '../python/python-file';
import { resolveValue } from '../python/training-setup/config-values';
import { codeSpan } from './evidence';
import type { PythonRule, RuleHit } from './rule';

const KERAS = /^(?:tensorflow\.(?:python\.)?|tf_keras\.)?keras\.callbacks\.EarlyStopping$|^tf_keras\.callbacks\.EarlyStopping$/;
const LIGHTNING = /^(?:lightning\.pytorch|pytorch_lightning|lightning)\.callbacks(?:\.early_stopping)?\.EarlyStopping$/;
const HUGGING_FACE = /^transformers\.(?:trainer_callback\.)?EarlyStoppingCallback$/;

/** The value the quick fix writes: the Keras documentation's own EarlyStopping example uses patience=3. */
const SUGGESTED = 3;

export const earlyStoppingPatienceZero: PythonRule = {
  code: 'early-stopping-patience-zero',
  drawback: 'hyperparameters',
  defaultSeverity: 'warning',
  title: 'Early stopping with a patience of 0 stops at the first epoch without improvement',
  explanation: `
Early stopping ends training once the monitored metric stops improving for \`patience\` epochs (or
evaluations). Validation loss is noisy: it routinely gets a little worse for an epoch or two before
improving again, especially early on and right after a learning-rate drop. With a patience of 0, the
first such blip ends training, often long before the model converged (Prechelt, "Early Stopping — But
When?", 1998, shows validation curves have many local minima and recommends stopping criteria that
tolerate them).

Keras' \`EarlyStopping\` **defaults to \`patience=0\`**, so \`EarlyStopping(monitor="val_loss")\` stops at
the first epoch that does not improve; the rule reports it when patience is left out or set to 0.
Lightning's \`EarlyStopping\` defaults to 3 and Hugging Face's \`EarlyStoppingCallback\` to 1; they are
reported only with an explicit 0.

## How to fix
Give it a few epochs of patience — the quick fix sets \`patience=${SUGGESTED}\` as in the Keras documentation's
example; longer runs often use 5–10 — and add \`restore_best_weights=True\` so the model you keep is the
best one rather than the last.
Sources: Keras \`EarlyStopping\` (keras.io/api/callbacks/early_stopping); Lightning
\`EarlyStopping\`; transformers \`EarlyStoppingCallback\`.
`,
  checkPython(file): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const call of file.calls) {
      const name = file.calleeName(call);
      if (!name || file.hasSplat(call)) continue;
      const keras = KERAS.test(name);
      const hf = HUGGING_FACE.test(name);
      if (!keras && !hf && !LIGHTNING.test(name)) continue;
      const keyword = hf ? 'early_stopping_patience' : 'patience';
      // Keras: EarlyStopping(monitor, min_delta, patience, …); Lightning: EarlyStopping(monitor, min_delta, patience, …).
      const node = file.keywordArgument(call, keyword) ?? (hf ? file.positionalArguments(call)[0] : file.positionalArguments(call)[2]);
      const callee = call.childForFieldName('function')?.text ?? 'EarlyStopping';
      let evidence: string;
      if (node) {
        const patience = resolveValue(file, node);
        if (patience?.value !== 0) continue;
        evidence = `\`${keyword}\` = 0${patience.via ? ` from ${patience.via}` : ` (line ${node.startPosition.row + 1})`}`;
      } else if (keras) {
        evidence = `\`patience\` not given: Keras' default is 0`;
      } else continue;
      hits.push({
        range: file.range(node ?? call),
        message: `${callee} has ${keyword}=0${node ? '' : " (Keras' default)"}: training stops at the first epoch the metric fails to improve, and one noisy epoch ends it. Set ${keyword}=${SUGGESTED} or more.`,
        evidence: [evidence, `in ${codeSpan(call.text)} (line ${call.startPosition.row + 1})`],
        fixes: [patienceFix(file, call, keyword, node)],
        data: { patience: 0, explicit: !!node },
      });
    }
    return hits;
  },
};

function patienceFix(file: PythonFile, call: Node, keyword: string, node: Node | undefined): Fix {
  const title = `Set ${keyword}=${SUGGESTED}`;
  if (node) return { title, isPreferred: true, edits: [{ range: file.range(node), newText: String(SUGGESTED) }] };
  const args = call.childForFieldName('arguments')!;
  const items = args.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const last = items.at(-1);
  const at = last ? file.range(last).end : { line: args.startPosition.row, character: args.startPosition.column + 1 };
  return { title, isPreferred: true, edits: [{ range: { start: at, end: at }, newText: `${last ? ', ' : ''}${keyword}=${SUGGESTED}` }] };
}
