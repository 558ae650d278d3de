/** Plain NumPy machine learning: the baselines and preprocessing scripts next to the deep models. */
import type { Section } from './python-file';
import { DATA } from './vocab';

const synthetic: Section = (f) => {
  const { rand } = f;
  f.need('np');
  const name = f.fresh(`make_${rand.pick(['blobs', 'regression', 'classification', 'moons'])}`);
  f.datasets.push(name);
  return [
    `def ${name}(n=${rand.pick([200, 1000, 5000])}, dim=${rand.pick([2, 8, 20, 50])}, noise=${rand.float(0.01, 0.5, 2)}):`,
    '    x = np.random.randn(n, dim)',
    '    w = np.random.uniform(-1, 1, size=dim)',
    '    logits = x @ w + noise * np.random.randn(n)',
    '    y = (logits > 0).astype(np.int64)',
    '    return x, y',
  ];
};

const logistic: Section = (f) => {
  const { rand } = f;
  f.need('np');
  const name = f.fresh(rand.pick(['fit_logistic', 'train_logreg', 'gradient_descent']));
  f.models.push(name);
  f.calls.set(name, `${name}(x_train, y_train, lr=args.lr, epochs=args.epochs)`);
  return [
    `def ${name}(x, y, lr=${rand.pick(['0.1', '0.05', '0.01'])}, epochs=${rand.pick([50, 100, 500])}, l2=${rand.pick(['0.0', '1e-4', '1e-3'])}):`,
    '    n, dim = x.shape',
    `    w = np.${rand.pick(['zeros(dim)', 'random.randn(dim) * 0.01'])}`,
    '    b = 0.0',
    '    for epoch in range(epochs):',
    '        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))',
    '        grad_w = x.T @ (p - y) / n + l2 * w',
    '        grad_b = float(np.mean(p - y))',
    '        w -= lr * grad_w',
    '        b -= lr * grad_b',
    `        if epoch % ${rand.pick([10, 25, 100])} == 0:`,
    '            loss = -np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9))',
    '            print(f"epoch {epoch}: loss {loss:.4f}")',
    '    return w, b',
  ];
};

const kmeans: Section = (f) => {
  const { rand } = f;
  f.need('np');
  const name = f.fresh(rand.pick(['kmeans', 'cluster_points', 'lloyd']));
  f.models.push(name);
  f.calls.set(name, `${name}(x_train)`);
  return [
    `def ${name}(points, k=${rand.int(2, 16)}, iterations=${rand.pick([10, 50, 100])}):`,
    '    centers = points[np.random.choice(len(points), k, replace=False)]',
    '    for _ in range(iterations):',
    '        distances = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)',
    '        assignment = distances.argmin(axis=1)',
    '        updated = np.array([points[assignment == j].mean(axis=0) if np.any(assignment == j) else centers[j] for j in range(k)])',
    '        if np.allclose(updated, centers):',
    '            break',
    '        centers = updated',
    '    return centers, assignment',
  ];
};

const pca: Section = (f) => {
  f.need('np');
  const name = f.fresh(f.rand.pick(['pca', 'project_components', 'reduce_dims']));
  f.helpers.push(name);
  return [
    `def ${name}(x, components=${f.rand.pick([2, 3, 10, 32])}):`,
    '    centered = x - x.mean(axis=0)',
    '    _, s, vt = np.linalg.svd(centered, full_matrices=False)',
    '    explained = (s ** 2) / np.sum(s ** 2)',
    '    return centered @ vt[:components].T, explained[:components]',
  ];
};

const minibatches: Section = (f) => {
  const { rand } = f;
  f.need('np');
  const name = f.fresh(`iterate_${rand.pick(DATA)}`);
  return [
    `def ${name}(x, y, batch_size=${rand.pick([16, 32, 64, 128])}, shuffle=True):`,
    '    order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))',
    '    for start in range(0, len(x), batch_size):',
    '        idx = order[start:start + batch_size]',
    '        yield x[idx], y[idx]',
  ];
};

const frame: Section = (f) => {
  const { rand } = f;
  f.need('pd', 'np');
  const name = f.fresh(`${rand.pick(['clean', 'prepare', 'featurize'])}_${rand.pick(['table', 'frame', 'csv'])}`);
  f.helpers.push(name);
  const column = rand.pick(['age', 'amount', 'duration', 'price', 'score']);
  return [
    `def ${name}(path):`,
    '    df = pd.read_csv(path)',
    '    df = df.dropna(subset=["label"])',
    `    df["${column}"] = df["${column}"].fillna(df["${column}"].median())`,
    `    df["log_${column}"] = np.log1p(df["${column}"].clip(lower=0))`,
    ...(rand.chance(0.5) ? ['    df = pd.get_dummies(df, columns=[c for c in df.columns if df[c].dtype == object])'] : []),
    '    return df',
  ];
};

export const NUMPY_MODELS: [Section, number][] = [[logistic, 2], [kmeans, 1]];
export const NUMPY_SECTIONS: [Section, number][] = [...NUMPY_MODELS, [synthetic, 2], [pca, 1], [minibatches, 2], [frame, 1]];
