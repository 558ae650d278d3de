/** PyTorch Lightning modules and data modules. */
import type { Section } from './python-file';
import { ADJECTIVES, camel, NOUNS } from './vocab';

const lightningModule: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn', 'F', 'L');
  const name = f.fresh(camel(rand.pick(ADJECTIVES), rand.pick(NOUNS), 'Module'));
  f.models.push(name);
  return [
    `class ${name}(L.LightningModule):`,
    `    def __init__(self, in_features=${rand.pick([32, 64, 784])}, hidden=${rand.pick([64, 128, 256])}, num_classes=${rand.pick([2, 10])}, lr=${rand.pick(['1e-3', '3e-4'])}):`,
    '        super().__init__()',
    '        self.save_hyperparameters()',
    '        self.net = nn.Sequential(',
    '            nn.Linear(in_features, hidden),',
    '            nn.ReLU(),',
    `            nn.Dropout(${rand.float(0.1, 0.5, 1)}),`,
    '            nn.Linear(hidden, num_classes),',
    '        )',
    '',
    '    def forward(self, x):',
    '        return self.net(x.flatten(1))',
    '',
    '    def training_step(self, batch, batch_idx):',
    '        x, y = batch',
    '        loss = F.cross_entropy(self(x), y)',
    '        self.log("train_loss", loss, prog_bar=True)',
    '        return loss',
    '',
    '    def validation_step(self, batch, batch_idx):',
    '        x, y = batch',
    '        logits = self(x)',
    '        self.log("val_loss", F.cross_entropy(logits, y))',
    '        self.log("val_acc", (logits.argmax(1) == y).float().mean())',
    '',
    '    def configure_optimizers(self):',
    `        optimizer = torch.optim.${rand.pick(['Adam', 'AdamW', 'SGD'])}(self.parameters(), lr=self.hparams.lr)`,
    ...(rand.chance(0.5)
      ? [`        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=${rand.pick([10, 50, 100])})`, '        return [optimizer], [scheduler]']
      : ['        return optimizer']),
  ];
};

const dataModule: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'data', 'L');
  const name = f.fresh(camel(rand.pick(['Synthetic', 'Folder', 'Cached', 'Tabular']), 'DataModule'));
  f.datasets.push(name);
  const workers = rand.pick([0, 2, 4, 8]);
  return [
    `class ${name}(L.LightningDataModule):`,
    `    def __init__(self, batch_size=${rand.pick([32, 64, 128])}, num_workers=${workers}):`,
    '        super().__init__()',
    '        self.batch_size = batch_size',
    '        self.num_workers = num_workers',
    '',
    '    def setup(self, stage=None):',
    `        x = torch.randn(${rand.pick([1000, 5000])}, ${rand.pick([32, 64, 784])})`,
    `        y = torch.randint(0, ${rand.pick([2, 10])}, (len(x),))`,
    '        full = torch.utils.data.TensorDataset(x, y)',
    `        self.train_set, self.val_set = random_split(full, [${rand.pick(['0.8, 0.2', '0.9, 0.1', '0.95, 0.05'])}])`,
    '',
    '    def train_dataloader(self):',
    '        return DataLoader(self.train_set, batch_size=self.batch_size, shuffle=True, num_workers=self.num_workers)',
    '',
    '    def val_dataloader(self):',
    '        return DataLoader(self.val_set, batch_size=self.batch_size, num_workers=self.num_workers)',
  ];
};

export const LIGHTNING_MODELS: [Section, number][] = [[lightningModule, 1]];
export const LIGHTNING_SECTIONS: [Section, number][] = [[lightningModule, 2], [dataModule, 2]];
