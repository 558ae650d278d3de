import { describePoint, epochNumbering, formatValue, isLossMetric } from '../logs/curve-analysis';
import type { MetricPoint, MetricSeries } from '../logs/run-history';
import type { RunHit, RunRule } from './rule';

export const lossNan: RunRule = {
  code: 'loss-nan',
  drawback: 'hyperparameters',
  defaultSeverity: 'error',
  title: 'A loss in the training log became NaN or infinite',
  explanation: `
Once a loss is NaN or infinite, the gradients are too, and every weight they touch becomes NaN: the
rest of the run trains nothing, and checkpoints saved after that point are broken. Frameworks keep
going unless told to stop (Keras has \`TerminateOnNaN\`; Lightning's \`Trainer(detect_anomaly=True)\` and
\`EarlyStopping(check_finite=True)\`), so the log is often the first place it shows.

DL Doctor reports the first non-finite value of each loss series in the run's log (training,
validation or any other series whose metric is a loss), with the last finite value before it. A NaN or
infinite loss is the symptom AUTOTRAINER (Zhang et al., ICSE 2021) watches for as a sign of exploding
gradients.

## How to fix
Lower the learning rate or add warm-up; clip gradients (\`clip_grad_norm_\`, Keras \`clipnorm\`); with
fp16 use a loss scaler or bf16; look for NaN or infinite values in the inputs and labels, and for
\`log(0)\` or division by zero in a custom loss; and stop training on a non-finite loss (\`TerminateOnNaN\`).
`,
  checkRun(run): RunHit[] {
    const bad: { series: MetricSeries; index: number }[] = [];
    for (const series of run.series) {
      if (!isLossMetric(series.metric)) continue;
      const index = series.points.findIndex((p) => !Number.isFinite(p.value));
      if (index >= 0) bad.push({ series, index });
    }
    if (bad.length === 0) return [];
    // The earliest one first: later series usually turned NaN because of it.
    bad.sort((a, b) => a.series.points[a.index].step - b.series.points[b.index].step);
    const { series, index } = bad[0];
    const point: MetricPoint = series.points[index];
    const before = index > 0 ? series.points[index - 1] : undefined;
    const where = describePoint(point, series.granularity);
    const others = bad.slice(1).map((b) => `\`${b.series.name}\` at ${describePoint(b.series.points[b.index], b.series.granularity)}`);
    return [
      {
        at: { series: series.name, point },
        message:
          `${series.name} is ${formatValue(point.value)} at ${where}${before ? ` (last finite value ${formatValue(before.value)} at ${describePoint(before, series.granularity)})` : ', its first logged value'}` +
          `${others.length ? `; ${others.length} more loss series followed` : ''}: training diverged and nothing after this point is usable. ` +
          `Lower the learning rate, clip gradients, check the data for NaN, and stop on a non-finite loss (TerminateOnNaN).`,
        evidence: [
          `first non-finite \`${series.name}\`: ${formatValue(point.value)} at ${where}`,
          ...(before ? [`value before it: ${formatValue(before.value)} at ${describePoint(before, series.granularity)}`] : []),
          ...others.map((o) => `also non-finite: ${o}`),
          ...epochNumbering(run),
        ],
        data: { series: series.name, step: point.step, epoch: point.epoch, value: String(point.value), nonFiniteSeries: bad.length },
      },
    ];
  },
};
